package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * Maps to Redis' min-replicas-to-write / min-replicas-max-lag: the primary refuses writes unless
 * enough replicas are connected and recent. Combined with WAIT in clients this trades availability
 * for not losing acknowledged writes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DurabilitySpec {
  @Min(0)
  @Max(63)
  @JsonPropertyDescription(
      "Replicas that must be connected for the primary to accept writes (0 disables).")
  private Integer minReplicasToWrite = 1;

  @Min(1)
  @Max(60)
  @JsonPropertyDescription("Maximum replica lag, in seconds, for a replica to count (default 10).")
  private Integer minReplicasMaxLagSeconds = 10;

  public Integer getMinReplicasToWrite() {
    return minReplicasToWrite;
  }

  public void setMinReplicasToWrite(Integer minReplicasToWrite) {
    this.minReplicasToWrite = minReplicasToWrite;
  }

  public Integer getMinReplicasMaxLagSeconds() {
    return minReplicasMaxLagSeconds;
  }

  public void setMinReplicasMaxLagSeconds(Integer minReplicasMaxLagSeconds) {
    this.minReplicasMaxLagSeconds = minReplicasMaxLagSeconds;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DurabilitySpec other
        && Objects.equals(minReplicasToWrite, other.minReplicasToWrite)
        && Objects.equals(minReplicasMaxLagSeconds, other.minReplicasMaxLagSeconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(minReplicasToWrite, minReplicasMaxLagSeconds);
  }
}
