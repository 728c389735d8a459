package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.redisoperator.controller.reconcile.Action;

/**
 * How one action ended. For API writes {@code before}/{@code after} feed the overlay ({@code after}
 * null: deleted or unknown); for agent calls {@code result} is the agent's answer.
 */
record ActionOutcome(
    Action action, HasMetadata before, HasMetadata after, Object result, Throwable failure) {
  boolean ok() {
    return failure == null;
  }
}
