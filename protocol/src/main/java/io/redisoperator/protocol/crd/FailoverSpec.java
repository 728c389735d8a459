package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * How fast a failed primary is detected. Bounds keep a typo from disabling failover or causing
 * flapping.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailoverSpec {
  public static final int DEFAULT_POLL_INTERVAL_MS = 1000;
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;

  @Min(200)
  @Max(30000)
  @JsonPropertyDescription("How often each pod's agent is polled, in milliseconds (default 1000).")
  private Integer pollIntervalMillis = DEFAULT_POLL_INTERVAL_MS;

  @Min(2)
  @Max(20)
  @JsonPropertyDescription(
      "Consecutive failed polls of the primary's agent before failover (default 3). A single failure never fails over.")
  private Integer failureThreshold = DEFAULT_FAILURE_THRESHOLD;

  public Integer getPollIntervalMillis() {
    return pollIntervalMillis;
  }

  public void setPollIntervalMillis(Integer pollIntervalMillis) {
    this.pollIntervalMillis = pollIntervalMillis;
  }

  public Integer getFailureThreshold() {
    return failureThreshold;
  }

  public void setFailureThreshold(Integer failureThreshold) {
    this.failureThreshold = failureThreshold;
  }

  public int pollIntervalMillisOrDefault() {
    return pollIntervalMillis == null ? DEFAULT_POLL_INTERVAL_MS : pollIntervalMillis;
  }

  public int failureThresholdOrDefault() {
    return failureThreshold == null ? DEFAULT_FAILURE_THRESHOLD : failureThreshold;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FailoverSpec other
        && Objects.equals(pollIntervalMillis, other.pollIntervalMillis)
        && Objects.equals(failureThreshold, other.failureThreshold);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pollIntervalMillis, failureThreshold);
  }
}
