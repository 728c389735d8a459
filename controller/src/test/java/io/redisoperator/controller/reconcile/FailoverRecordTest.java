package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recording a promoted replica routes clients to it in the same pass. */
class FailoverRecordTest {

  @Test
  void aPromotedReplicaIsRecordedAndLabelledPrimaryInTheSamePass() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null).getMetadata().getLabels().remove(Labels.ROLE);
    f.pod(1, InstanceRole.PRIMARY, null)
        .getMetadata()
        .getLabels()
        .put(Labels.ROLE, Labels.ROLE_REPLICA);
    f.pod(2, InstanceRole.REPLICA, "10.0.0.1");
    f.cluster.getStatus().setFencedInstances(List.of("c-0"));
    f.cluster.getStatus().setTargetPrimary("c-1");
    f.cluster
        .getStatus()
        .setTargetPrimaryTimestamp(StatusTime.format(PlannerFixture.NOW.minusSeconds(1)));
    Plan plan = ReconcilePlanner.standard().plan(f.input());
    assertEquals("c-1", plan.decision().currentPrimary());
    assertEquals(EventReason.FAILED_OVER, plan.decisionEvent());
    List<String> labelled =
        plan.actions().stream()
            .filter(a -> a instanceof Action.Patch p && p.kind() == Pod.class)
            .map(a -> ((Action.Patch) a).name() + "=" + ((Action.Patch) a).patch())
            .toList();
    assertEquals(1, labelled.size(), "the label goes with the decision: " + plan.actions());
    assertTrue(
        labelled.get(0).startsWith("c-1=") && labelled.get(0).contains("\"primary\""),
        labelled.toString());
  }
}
