package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.Comparator;
import java.util.List;

/**
 * Records the first primary in status before any data pod exists, so the first agent boots as
 * primary and every later one as its replica. If pods exist but status lost its primary, the lowest
 * ordinal that reports itself primary (else the lowest ordinal) is recorded.
 */
public final class BootstrapStep implements ReconcileStep {

  /**
   * A cluster with no primary recorded and no data pod: this step records its first primary, and
   * the decision goes alone, so nothing else of the pass would be kept ({@link ReconcilePlanner}
   * runs this step alone then).
   */
  static boolean recordsFirstPrimary(ReconcileInput in) {
    return in.durable().currentPrimary() == null && DataPods.of(in).isEmpty();
  }

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    Durable durable = in.durable();
    if (durable.currentPrimary() != null) {
      return;
    }
    List<Pod> pods = DataPods.of(in);
    String chosen;
    if (pods.isEmpty()) {
      chosen = ResourceNames.podName(in.name(), 0);
    } else {
      List<String> byOrdinal =
          pods.stream()
              .map(p -> p.getMetadata().getName())
              .sorted(Comparator.comparingInt(p -> DataPods.ordinal(in, p)))
              .toList();
      chosen =
          byOrdinal.stream()
              .filter(p -> DataPods.answeringAs(in.instance(p), InstanceRole.PRIMARY))
              .findFirst()
              .orElse(byOrdinal.get(0));
    }
    plan.phase(
        io.redisoperator.protocol.crd.Phase.CREATING,
        "recording " + chosen + " as the first primary");
    plan.decide(
        durable.withPrimary(chosen, StatusTime.format(in.now())),
        EventReason.PRIMARY_RECORDED,
        "bootstrap: " + chosen + " is the first primary");
  }
}
