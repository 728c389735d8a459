package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.observation.UserFencing;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.Annotations;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The human fencing annotation: one reading of it everywhere, and an unreadable one reported. */
class FencingAnnotationTest {

  @Test
  void parsesListsAndTheStar() {
    assertEquals(Set.of("c-0", "c-2"), UserFencing.parse("c", "c-0, c-2").pods());
    assertEquals(Set.of("c-1"), UserFencing.parse("c", "[\"c-1\"]").pods());
    UserFencing all = UserFencing.parse("c", "*");
    assertTrue(all.covers("c-7"));
    assertTrue(all.problem().isEmpty());
    assertFalse(UserFencing.parse("c", "").present());
  }

  @Test
  void whatCannotBeReadFencesNothingAndSaysSo() {
    UserFencing broken = UserFencing.parse("c", "[c-0");
    assertFalse(broken.covers("c-0"));
    assertTrue(broken.problem().orElseThrow().contains(Annotations.FENCED_INSTANCES));
    UserFencing typo = UserFencing.parse("c", "c-1,cc-2");
    assertTrue(typo.covers("c-1"), "what can be read is honoured");
    assertTrue(typo.problem().orElseThrow().contains("cc-2"));
  }

  @Test
  void anUnreadableAnnotationGetsAConditionAndOneWarning() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.cluster
        .getMetadata()
        .setAnnotations(new HashMap<>(java.util.Map.of(Annotations.FENCED_INSTANCES, "[\"c-1\"")));
    Plan plan = ReconcilePlanner.standard().plan(f.input());
    List<Action.Emit> warnings =
        plan.actions().stream()
            .filter(Action.Emit.class::isInstance)
            .map(Action.Emit.class::cast)
            .filter(e -> e.reason() == EventReason.FENCING_ANNOTATION_UNREADABLE)
            .toList();
    assertEquals(1, warnings.size(), plan.actions().toString());
    var status = StatusBuilder.build(f.input(), plan);
    var condition =
        Conditions.find(status.getConditions(), ConditionType.FENCING_ANNOTATION_VALID)
            .orElseThrow();
    assertEquals(ConditionStatus.FALSE, condition.getStatus());

    f.cluster.setStatus(status);
    assertTrue(
        ReconcilePlanner.standard().plan(f.input()).actions().stream()
            .noneMatch(
                a ->
                    a instanceof Action.Emit e
                        && e.reason() == EventReason.FENCING_ANNOTATION_UNREADABLE),
        "reported once");

    f.cluster.getMetadata().getAnnotations().put(Annotations.FENCED_INSTANCES, "[\"c-1\"]");
    var fixed = StatusBuilder.build(f.input(), ReconcilePlanner.standard().plan(f.input()));
    assertEquals(
        ConditionStatus.TRUE,
        Conditions.find(fixed.getConditions(), ConditionType.FENCING_ANNOTATION_VALID)
            .orElseThrow()
            .getStatus());
  }

  @Test
  void theStarFencesEveryAnsweringAgent() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.cluster.getMetadata().setAnnotations(java.util.Map.of(Annotations.FENCED_INSTANCES, "*"));
    assertEquals(
        2,
        f.plan(new FenceSyncStep()).actions().stream()
            .filter(Action.Fence.class::isInstance)
            .count());
  }
}
