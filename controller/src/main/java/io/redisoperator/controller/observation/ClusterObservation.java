package io.redisoperator.controller.observation;

import io.redisoperator.protocol.crd.RedisCluster;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A consistent snapshot handed to the pure planners: the RedisCluster as last read (spec and the
 * durable status) and what is known of each instance, keyed by pod name.
 *
 * @param userFencing what the human fencing annotation fences
 * @param warnedSince for each pod in {@code status.fencedInstances} or {@code
 *     status.unreachableInstances}, a moment no earlier than when the first of those records was
 *     written (the controller first saw it in status); an agent reading its RedisCluster from then
 *     on no longer counts the read as contact
 * @param observingSince when this controller (its cluster actor) started observing the cluster:
 *     anything it never heard from had its last possible contact with a controller before then (a
 *     predecessor is gone by the time a successor starts), so a pod it could never poll is bounded
 *     from here rather than never
 */
public record ClusterObservation(
    RedisCluster cluster,
    Map<String, InstanceObservation> instances,
    UserFencing userFencing,
    Instant now,
    Map<String, Instant> warnedSince,
    Instant observingSince) {

  public ClusterObservation(
      RedisCluster cluster,
      Map<String, InstanceObservation> instances,
      UserFencing userFencing,
      Instant now,
      Map<String, Instant> warnedSince) {
    this(cluster, instances, userFencing, now, warnedSince, null);
  }

  public ClusterObservation {
    observingSince = observingSince == null || observingSince.isAfter(now) ? now : observingSince;
    userFencing = userFencing == null ? UserFencing.NONE : userFencing;
    warnedSince = warnedSince == null ? Map.of() : Map.copyOf(warnedSince);
  }

  /**
   * An observation without record times: each fence or unreachable record counts as written {@code
   * now} (the latest).
   */
  public ClusterObservation(
      RedisCluster cluster,
      Map<String, InstanceObservation> instances,
      UserFencing userFencing,
      Instant now) {
    this(cluster, instances, userFencing, now, null);
  }

  /** Fenced by a human: named in the fencing annotation, or everything with {@code "*"}. */
  public boolean userFenced(String pod) {
    return userFencing.covers(pod);
  }

  /** Fenced by the operator: listed in {@code status.fencedInstances}. */
  public boolean operatorFenced(String pod) {
    return cluster.getStatus() != null
        && cluster.getStatus().getFencedInstances() != null
        && cluster.getStatus().getFencedInstances().contains(pod);
  }

  /**
   * The one definition of "fenced": by the operator or by a human. Such a pod must not be or become
   * a primary.
   */
  public boolean fenced(String pod) {
    return operatorFenced(pod) || userFenced(pod);
  }

  /**
   * When {@code pod} was first recorded fenced or unreachable, at the latest; {@code now} when the
   * controller has no better bound.
   */
  public Instant warnedSince(String pod) {
    return warnedSince.getOrDefault(pod, now);
  }

  public String name() {
    return cluster.getMetadata().getName();
  }

  public String namespace() {
    return cluster.getMetadata().getNamespace();
  }

  public Optional<String> currentPrimary() {
    return cluster.getStatus() == null
        ? Optional.empty()
        : Optional.ofNullable(cluster.getStatus().getCurrentPrimary());
  }

  public Optional<InstanceObservation> instance(String podName) {
    return Optional.ofNullable(instances.get(podName));
  }

  /** Instances ordered by ordinal. */
  public List<InstanceObservation> byOrdinal() {
    return instances.values().stream()
        .sorted(Comparator.comparingInt(InstanceObservation::ordinal))
        .toList();
  }
}
