package io.redisoperator.protocol.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

  @Test
  void sameStatusKeepsTheTransitionTimeButUpdatesTheRest() {
    List<Condition> first =
        Conditions.set(
            List.of(),
            ConditionType.READY,
            ConditionStatus.FALSE,
            ConditionReason.CREATING,
            "a",
            1L,
            T0);
    List<Condition> second =
        Conditions.set(
            first,
            ConditionType.READY,
            ConditionStatus.FALSE,
            ConditionReason.INSTANCES_NOT_READY,
            "b",
            2L,
            T1);
    Condition ready = Conditions.find(second, ConditionType.READY).orElseThrow();
    assertEquals("2026-01-01T00:00:00Z", ready.getLastTransitionTime());
    assertEquals(ConditionReason.INSTANCES_NOT_READY, ready.getReason());
    assertEquals("b", ready.getMessage());
    assertEquals(2L, ready.getObservedGeneration());
  }

  @Test
  void statusChangeMovesTheTransitionTime() {
    List<Condition> first =
        Conditions.set(
            List.of(),
            ConditionType.READY,
            ConditionStatus.FALSE,
            ConditionReason.CREATING,
            "a",
            1L,
            T0);
    List<Condition> second =
        Conditions.set(
            first,
            ConditionType.READY,
            ConditionStatus.TRUE,
            ConditionReason.CLUSTER_READY,
            "ok",
            1L,
            T1);
    assertEquals("2026-01-01T00:05:00Z", second.get(0).getLastTransitionTime());
    assertTrue(Conditions.isTrue(second, ConditionType.READY));
  }

  @Test
  void otherConditionsAreKept() {
    List<Condition> list =
        Conditions.set(
            List.of(),
            ConditionType.READY,
            ConditionStatus.TRUE,
            ConditionReason.CLUSTER_READY,
            "",
            1L,
            T0);
    list =
        Conditions.set(
            list,
            ConditionType.PRIMARY_AVAILABLE,
            ConditionStatus.TRUE,
            ConditionReason.PRIMARY_SERVING,
            "",
            1L,
            T0);
    assertEquals(2, list.size());
    assertFalse(Conditions.isTrue(list, ConditionType.REPLICATION_HEALTHY));
  }
}
