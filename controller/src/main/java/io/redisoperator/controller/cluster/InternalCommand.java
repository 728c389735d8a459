package io.redisoperator.controller.cluster;

import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.controller.reconcile.Plan;
import java.util.List;

/**
 * The {@link ClusterActor}'s messages to itself: its pollers' reports, the outcomes of its passes
 * and calls, and its timers.
 */
sealed interface InternalCommand extends ClusterCommand {

  record Reported(PodReport report) implements InternalCommand {}

  record PassFinished(
      List<ActionOutcome> outcomes, StatusWrite statusWrite, Plan plan, long startedNanos)
      implements InternalCommand {}

  record AgentOpFinished(String key, ActionOutcome outcome) implements InternalCommand {}

  record UserSecretsRead(UserSecrets.Reading reading) implements InternalCommand {}

  enum Timer implements InternalCommand {
    RESYNC,
    WAKE,
    RETRY,
    /** The pass paced reports asked for ({@link PassPacing}). */
    PACED,
    /** The pass that writes a Creating cluster's paced status ({@link StatusWriteGate}). */
    STATUS_DUE
  }
}
