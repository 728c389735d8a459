package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * A Kubernetes-shaped condition with typed type, status and reason. Written only through {@link
 * Conditions}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
  @JsonPropertyDescription("The condition, e.g. Ready or PrimaryAvailable.")
  @Required
  private ConditionType type;

  @JsonPropertyDescription("Whether the condition holds.")
  @Required
  private ConditionStatus status;

  @JsonPropertyDescription("Why, in one CamelCase word.")
  private ConditionReason reason;

  @JsonPropertyDescription("Why, in words.")
  private String message;

  /** RFC 3339; moves only when {@link #status} changes. */
  @JsonPropertyDescription("RFC 3339 time status last changed.")
  private String lastTransitionTime;

  @JsonPropertyDescription("metadata.generation the condition was computed from.")
  private Long observedGeneration;

  public Condition() {}

  public Condition(
      ConditionType type,
      ConditionStatus status,
      ConditionReason reason,
      String message,
      String lastTransitionTime,
      Long observedGeneration) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.lastTransitionTime = lastTransitionTime;
    this.observedGeneration = observedGeneration;
  }

  public ConditionType getType() {
    return type;
  }

  public void setType(ConditionType type) {
    this.type = type;
  }

  public ConditionStatus getStatus() {
    return status;
  }

  public void setStatus(ConditionStatus status) {
    this.status = status;
  }

  public ConditionReason getReason() {
    return reason;
  }

  public void setReason(ConditionReason reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition c
        && type == c.type
        && status == c.status
        && reason == c.reason
        && Objects.equals(message, c.message)
        && Objects.equals(lastTransitionTime, c.lastTransitionTime)
        && Objects.equals(observedGeneration, c.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
  }

  @Override
  public String toString() {
    return type + "=" + status + " (" + reason + ": " + message + ")";
  }
}
