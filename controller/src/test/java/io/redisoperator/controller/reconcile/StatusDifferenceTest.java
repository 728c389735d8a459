package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.crd.Condition;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.json.Json;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class StatusDifferenceTest {

  /** A status with every field set. */
  private static RedisClusterStatus full() {
    RedisClusterStatus s = new RedisClusterStatus();
    s.setPhase(Phase.HEALTHY);
    s.setPhaseReason("all ready");
    s.setConditions(
        new ArrayList<>(
            List.of(
                new Condition(
                    ConditionType.READY,
                    ConditionStatus.TRUE,
                    ConditionReason.values()[0],
                    "ready",
                    "2026-12-05T00:00:00Z",
                    3L))));
    s.setObservedGeneration(3L);
    s.setCurrentPrimary("c-0");
    s.setCurrentPrimaryTimestamp("2026-12-05T00:00:00Z");
    s.setTargetPrimary("c-0");
    s.setTargetPrimaryTimestamp("2026-12-05T00:00:01Z");
    s.setFencedInstances(new ArrayList<>(List.of("c-2")));
    s.setUnreachableInstances(new ArrayList<>(List.of("c-1")));
    Map<String, InstanceStatusEntry> entries = new TreeMap<>();
    entries.put("c-0", entry(InstanceRole.PRIMARY, 1000L, 0L));
    entries.put("c-1", entry(InstanceRole.REPLICA, 990L, 10L));
    s.setInstancesStatus(entries);
    s.setReadyInstances(2);
    s.setSecretsResourceVersion(new TreeMap<>(Map.of("c-agent-ca", "41")));
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(3);
    s.setLastValidSpec(spec);
    return s;
  }

  private static InstanceStatusEntry entry(InstanceRole role, long offset, long lag) {
    InstanceStatusEntry e = new InstanceStatusEntry();
    e.setRole(role);
    e.setReady(true);
    e.setRedisUp(true);
    e.setPodIP("10.0.0.1");
    e.setReplicationId("abc");
    e.setReplicationOffset(offset);
    e.setLagBytes(lag);
    e.setLinkUp(true);
    e.setFenced(false);
    e.setLastSeen("2026-12-05T00:00:0" + (offset % 10) + "Z");
    return e;
  }

  /** The comparison as it was: a JSON deep copy of each side without the volatile fields. */
  private static boolean throughJson(RedisClusterStatus current, RedisClusterStatus desired) {
    return current == null || !jsonWithoutVolatile(current).equals(jsonWithoutVolatile(desired));
  }

  private static RedisClusterStatus jsonWithoutVolatile(RedisClusterStatus status) {
    RedisClusterStatus copy = Json.mapper().convertValue(status, RedisClusterStatus.class);
    copy.getInstancesStatus()
        .values()
        .forEach(
            e -> {
              e.setReplicationOffset(null);
              e.setLagBytes(null);
              e.setLastSeen(null);
            });
    return copy;
  }

  private static RedisClusterStatus changed(Consumer<RedisClusterStatus> change) {
    RedisClusterStatus s = full();
    change.accept(s);
    return s;
  }

  @Test
  void theFixtureSetsEveryFieldSoTheCopyIsCheckedForAll() throws Exception {
    for (Class<?> type : List.of(RedisClusterStatus.class, InstanceStatusEntry.class)) {
      Object value =
          type == RedisClusterStatus.class ? full() : full().getInstancesStatus().get("c-0");
      for (Field field : type.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers())) {
          field.setAccessible(true);
          assertNotNull(field.get(value), type.getSimpleName() + "." + field.getName());
        }
      }
    }
  }

  @Test
  void theShallowCopyHasWhatTheJsonCopyHad() {
    RedisClusterStatus status = full();
    assertEquals(
        Json.mapper().valueToTree(jsonWithoutVolatile(status)),
        Json.mapper().valueToTree(StatusDifference.withoutVolatile(status)));
    assertEquals(
        Json.mapper().valueToTree(full()),
        Json.mapper().valueToTree(status),
        "the status compared is left as it was");
  }

  @Test
  void offsetsLagAndLastSeenDoNotCountEverythingElseDoes() {
    List<Consumer<RedisClusterStatus>> volatileOnly =
        List.of(
            s -> s.getInstancesStatus().get("c-0").setReplicationOffset(5000L),
            s -> s.getInstancesStatus().get("c-1").setLagBytes(77L),
            s -> s.getInstancesStatus().get("c-1").setLastSeen("2026-12-05T01:00:00Z"));
    for (Consumer<RedisClusterStatus> change : volatileOnly) {
      RedisClusterStatus other = changed(change);
      assertFalse(StatusDifference.material(full(), other));
      assertEquals(throughJson(full(), other), StatusDifference.material(full(), other));
    }

    List<Consumer<RedisClusterStatus>> material =
        List.of(
            s -> s.setPhase(Phase.DEGRADED),
            s -> s.setPhaseReason("other"),
            s -> s.getConditions().get(0).setMessage("other"),
            s -> s.setObservedGeneration(4L),
            s -> s.setCurrentPrimary("c-1"),
            s -> s.setCurrentPrimaryTimestamp("x"),
            s -> s.setTargetPrimary("c-1"),
            s -> s.setTargetPrimaryTimestamp("x"),
            s -> s.getFencedInstances().clear(),
            s -> s.getUnreachableInstances().clear(),
            s -> s.getInstancesStatus().get("c-1").setRole(InstanceRole.PRIMARY),
            s -> s.getInstancesStatus().get("c-1").setReady(false),
            s -> s.getInstancesStatus().get("c-1").setRedisUp(false),
            s -> s.getInstancesStatus().get("c-1").setPodIP("10.0.0.9"),
            s -> s.getInstancesStatus().get("c-1").setReplicationId("def"),
            s -> s.getInstancesStatus().get("c-1").setLinkUp(false),
            s -> s.getInstancesStatus().get("c-1").setFenced(true),
            s -> s.getInstancesStatus().remove("c-1"),
            s -> s.setReadyInstances(1),
            s -> s.getSecretsResourceVersion().put("c-agent-ca", "42"),
            s -> s.getLastValidSpec().setInstances(5));
    for (Consumer<RedisClusterStatus> change : material) {
      RedisClusterStatus other = changed(change);
      assertTrue(StatusDifference.material(full(), other));
      assertEquals(throughJson(full(), other), StatusDifference.material(full(), other));
    }
    assertTrue(StatusDifference.material(null, full()));
  }

  @Test
  void progressIsWhatAStartingClusterShowsOfItsStepsNotItsPhaseOrDecisions() {
    List<Consumer<RedisClusterStatus>> progress =
        List.of(
            s -> s.setPhaseReason("creating replica c-1"),
            s -> s.getConditions().get(0).setMessage("other"),
            s -> s.getConditions().get(0).setReason(ConditionReason.values()[1]),
            s -> s.getInstancesStatus().get("c-1").setPodIP("10.0.0.9"),
            s -> s.getInstancesStatus().get("c-1").setRole(InstanceRole.UNKNOWN),
            s -> s.getInstancesStatus().get("c-1").setReady(false),
            s -> s.getInstancesStatus().get("c-1").setLinkUp(false),
            s -> s.getInstancesStatus().remove("c-1"),
            s -> s.getSecretsResourceVersion().put("c-agent-ca", "42"),
            s -> s.setReadyInstances(1),
            s -> s.getConditions().get(0).setStatus(ConditionStatus.FALSE),
            s -> s.getConditions().clear());
    for (Consumer<RedisClusterStatus> change : progress) {
      assertTrue(StatusDifference.progressOnly(full(), changed(change)));
    }
    List<Consumer<RedisClusterStatus>> standing =
        List.of(
            s -> s.setPhase(Phase.DEGRADED),
            s -> s.setObservedGeneration(4L),
            s -> s.setCurrentPrimary("c-1"),
            s -> s.setCurrentPrimaryTimestamp("x"),
            s -> s.setTargetPrimary("c-1"),
            s -> s.setTargetPrimaryTimestamp("x"),
            s -> s.getFencedInstances().clear(),
            s -> s.getUnreachableInstances().clear(),
            s -> s.getLastValidSpec().setInstances(5));
    for (Consumer<RedisClusterStatus> change : standing) {
      assertFalse(StatusDifference.progressOnly(full(), changed(change)));
    }
    assertFalse(StatusDifference.progressOnly(null, full()), "nothing recorded yet");
  }

  @Test
  void anAbsentListOrMapIsTheSameAsAnEmptyOneAsThroughJson() {
    RedisClusterStatus empty = full();
    empty.setConditions(new ArrayList<>());
    empty.setFencedInstances(new ArrayList<>());
    empty.setUnreachableInstances(new ArrayList<>());
    empty.setInstancesStatus(new TreeMap<>());
    empty.setSecretsResourceVersion(new TreeMap<>());
    RedisClusterStatus absent = full();
    absent.setConditions(null);
    absent.setFencedInstances(null);
    absent.setUnreachableInstances(null);
    absent.setInstancesStatus(null);
    absent.setSecretsResourceVersion(null);
    assertFalse(StatusDifference.material(empty, absent));
    assertFalse(StatusDifference.material(absent, empty));
    assertEquals(throughJson(empty, absent), StatusDifference.material(empty, absent));
  }
}
