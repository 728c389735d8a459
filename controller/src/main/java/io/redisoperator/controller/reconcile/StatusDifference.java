package io.redisoperator.controller.reconcile;

import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether a status written over another would change something that matters. Offsets, lag and
 * last-seen times move all the time (a primary's offset grows with every replication ping), so they
 * do not count. Every pass asks, so the comparison works on shallow copies (the same values, the
 * instance entries copied without their volatile fields), never a deep copy of the whole status.
 */
final class StatusDifference {
  private StatusDifference() {}

  static boolean material(RedisClusterStatus current, RedisClusterStatus desired) {
    return current == null || !withoutVolatile(current).equals(withoutVolatile(desired));
  }

  /**
   * Whether {@code desired} differs from {@code current} only in a starting cluster's progress: its
   * instances (created, addressed, answering, ready), the ready count, the conditions, the phase
   * reason, the Secrets' versions. It is not: the phase (a cluster ready is written at once), the
   * decision fields (primaries, fenced, unreachable: the agents and the promotion gate read them)
   * and the generation and spec observed (what tools waiting for a spec change read). Asked only of
   * a status {@link #material} already found different.
   */
  static boolean progressOnly(RedisClusterStatus current, RedisClusterStatus desired) {
    return current != null && standing(current).equals(standing(desired));
  }

  /** What {@link #progressOnly} does not count as progress. */
  private record Standing(
      Object phase,
      Long observedGeneration,
      String currentPrimary,
      String currentPrimaryTimestamp,
      String targetPrimary,
      String targetPrimaryTimestamp,
      List<String> fencedInstances,
      List<String> unreachableInstances,
      RedisClusterSpec lastValidSpec) {}

  private static Standing standing(RedisClusterStatus s) {
    return new Standing(
        s.getPhase(),
        s.getObservedGeneration(),
        s.getCurrentPrimary(),
        s.getCurrentPrimaryTimestamp(),
        s.getTargetPrimary(),
        s.getTargetPrimaryTimestamp(),
        s.getFencedInstances() == null ? List.of() : s.getFencedInstances(),
        s.getUnreachableInstances() == null ? List.of() : s.getUnreachableInstances(),
        s.getLastValidSpec());
  }

  /** Names of the top-level fields that differ materially. */
  static List<String> fields(RedisClusterStatus current, RedisClusterStatus desired) {
    if (current == null) {
      return List.of("all");
    }
    var mapper = Json.mapper();
    var a = mapper.valueToTree(withoutVolatile(current));
    var b = mapper.valueToTree(withoutVolatile(desired));
    List<String> fields = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    a.fieldNames().forEachRemaining(names::add);
    b.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (!Objects.equals(a.get(name), b.get(name))) {
        fields.add(name);
      }
    }
    return fields;
  }

  /**
   * A copy sharing every value of {@code status} but its instance entries, which are copied without
   * their volatile fields. Every field of the status is copied (StatusDifferenceTest checks it
   * against the JSON form).
   */
  static RedisClusterStatus withoutVolatile(RedisClusterStatus status) {
    // A null collection stays the new object's empty default, as it would through JSON: absent and
    // empty are the same status.
    RedisClusterStatus copy = new RedisClusterStatus();
    copy.setPhase(status.getPhase());
    copy.setPhaseReason(status.getPhaseReason());
    if (status.getConditions() != null) {
      copy.setConditions(status.getConditions());
    }
    copy.setObservedGeneration(status.getObservedGeneration());
    copy.setCurrentPrimary(status.getCurrentPrimary());
    copy.setCurrentPrimaryTimestamp(status.getCurrentPrimaryTimestamp());
    copy.setTargetPrimary(status.getTargetPrimary());
    copy.setTargetPrimaryTimestamp(status.getTargetPrimaryTimestamp());
    if (status.getFencedInstances() != null) {
      copy.setFencedInstances(status.getFencedInstances());
    }
    if (status.getUnreachableInstances() != null) {
      copy.setUnreachableInstances(status.getUnreachableInstances());
    }
    copy.setReadyInstances(status.getReadyInstances());
    if (status.getSecretsResourceVersion() != null) {
      copy.setSecretsResourceVersion(status.getSecretsResourceVersion());
    }
    copy.setLastValidSpec(status.getLastValidSpec());
    if (status.getInstancesStatus() != null) {
      Map<String, InstanceStatusEntry> entries = new TreeMap<>();
      status.getInstancesStatus().forEach((pod, e) -> entries.put(pod, withoutVolatile(e)));
      copy.setInstancesStatus(entries);
    }
    return copy;
  }

  private static InstanceStatusEntry withoutVolatile(InstanceStatusEntry entry) {
    if (entry == null) {
      return null;
    }
    InstanceStatusEntry copy = new InstanceStatusEntry();
    copy.setRole(entry.getRole());
    copy.setReady(entry.getReady());
    copy.setRedisUp(entry.getRedisUp());
    copy.setPodIP(entry.getPodIP());
    copy.setReplicationId(entry.getReplicationId());
    copy.setLinkUp(entry.getLinkUp());
    copy.setFenced(entry.getFenced());
    return copy;
  }
}
