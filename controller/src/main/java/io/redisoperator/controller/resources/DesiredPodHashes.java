package io.redisoperator.controller.resources;

import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.json.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One cluster's {@link InstancePodBuilder#desiredHash desired pod hashes}, remembered while their
 * inputs stay the same. Building every pod's spec and hashing its JSON on every pass was a fifth of
 * a steady pass's CPU, for a result that changes only with the cluster.
 *
 * <p>The inputs are exactly what {@link InstancePodBuilder#desiredHash} reads: the cluster's name,
 * its spec, its restart request (the {@link PodSpecHash#restartedAt restartedAt} annotation), the
 * operator Secret and the operator image. The status, the other labels and annotations, the {@code
 * resourceVersion} and the {@code uid} are not among them, so a status write (about fifteen per
 * cluster while it starts) keeps what was remembered. The spec is compared by value ({@link
 * RedisClusterSpec#equals} covers every field): the informer hands over a new spec object with
 * every update, and a spec substituted in memory ({@link
 * io.redisoperator.controller.reconcile.SpecInForce}) shares the generation of the one it replaces,
 * so neither the object nor {@code metadata.generation} would do. What is remembered is a copy of
 * the spec, so a spec edited in place (a test's fixture) is another input too. The inputs are
 * compared once a pass ({@link #forInputs}). Holds one hash per ordinal of the current inputs; not
 * thread-safe: owned by one cluster actor.
 */
public final class DesiredPodHashes {
  /** What the desired pod spec of every ordinal is built from. */
  private record Inputs(
      String clusterName,
      RedisClusterSpec spec,
      String restartedAt,
      String operatorAuthSecret,
      String operatorImage) {}

  private Inputs inputs;
  private Map<Integer, String> byOrdinal = new HashMap<>();

  /**
   * The desired hash of each ordinal for {@code cluster}'s inputs, compared with the remembered
   * ones here, once: a pass asks for every pod's, and comparing the spec by value for each was as
   * many deep comparisons. Meant for one pass: the answer keeps the inputs it was made with.
   */
  public IntFunction<String> forInputs(
      RedisCluster cluster, String operatorAuthSecret, String operatorImage) {
    Inputs current =
        new Inputs(
            cluster.getMetadata().getName(),
            cluster.getSpec(),
            PodSpecHash.restartedAt(cluster),
            operatorAuthSecret,
            operatorImage);
    if (!current.equals(inputs)) {
      // A new map: an answer made for the previous inputs cannot fill this one.
      byOrdinal = new HashMap<>();
      inputs =
          new Inputs(
              current.clusterName(),
              Json.mapper().convertValue(current.spec(), RedisClusterSpec.class),
              current.restartedAt(),
              operatorAuthSecret,
              operatorImage);
    }
    Map<Integer, String> hashes = byOrdinal;
    return ordinal ->
        hashes.computeIfAbsent(
            ordinal,
            o -> InstancePodBuilder.desiredHash(cluster, o, operatorAuthSecret, operatorImage));
  }
}
