package io.redisoperator.controller.reconcile;

import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Annotations;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Everything one reconcile pass decides from: the cluster, the owned objects, what the agents
 * report, the durable status, and a little memory of the actor's own recent operations (so it does
 * not repeat an agent call while its effect has not shown up in a poll yet).
 *
 * @param authSecretVersion resourceVersion of the auth Secret the pods use, empty when it does not
 *     exist
 * @param recentlyRequested keys of agent operations sent recently (see {@link #opKey})
 * @param operatorImage the image the data pods' bootstrap init container copies the agent from
 * @param switchover what the actor remembers of the switchover in flight
 * @param cordonedNodes the nodes marked unschedulable (cordoned, typically by a drain about to
 *     evict their pods)
 * @param userPasswordHashes SHA-256 of key {@code password} of every user Secret the spec names
 *     (spec.authSecret, spec.users[].passwordSecret) that exists and has one, by Secret name; never
 *     the passwords themselves
 */
public record ReconcileInput(
    RedisCluster cluster,
    OwnedObjects owned,
    ClusterObservation observation,
    Optional<String> authSecretVersion,
    Predicate<String> recentlyRequested,
    String operatorImage,
    SwitchoverMemory switchover,
    Set<String> cordonedNodes,
    Map<String, String> userPasswordHashes) {

  public ReconcileInput {
    cordonedNodes = Set.copyOf(cordonedNodes);
    userPasswordHashes = Map.copyOf(userPasswordHashes);
  }

  /** An input without user Secrets read (tests that do not need them). */
  public ReconcileInput(
      RedisCluster cluster,
      OwnedObjects owned,
      ClusterObservation observation,
      Optional<String> authSecretVersion,
      Predicate<String> recentlyRequested,
      String operatorImage,
      SwitchoverMemory switchover,
      Set<String> cordonedNodes) {
    this(
        cluster,
        owned,
        observation,
        authSecretVersion,
        recentlyRequested,
        operatorImage,
        switchover,
        cordonedNodes,
        Map.of());
  }

  /**
   * An input without memory of a switchover and with no node cordoned (tests that do not need
   * either).
   */
  public ReconcileInput(
      RedisCluster cluster,
      OwnedObjects owned,
      ClusterObservation observation,
      Optional<String> authSecretVersion,
      Predicate<String> recentlyRequested,
      String operatorImage) {
    this(
        cluster,
        owned,
        observation,
        authSecretVersion,
        recentlyRequested,
        operatorImage,
        SwitchoverMemory.NONE,
        Set.of());
  }

  /**
   * The same input over another version of the cluster (the spec in force, see {@link
   * SpecInForce}).
   */
  public ReconcileInput withCluster(RedisCluster other) {
    return other == cluster
        ? this
        : new ReconcileInput(
            other,
            owned,
            observation,
            authSecretVersion,
            recentlyRequested,
            operatorImage,
            switchover,
            cordonedNodes,
            userPasswordHashes);
  }

  public Durable durable() {
    return Durable.of(cluster.getStatus());
  }

  public String name() {
    return cluster.getMetadata().getName();
  }

  public String namespace() {
    return cluster.getMetadata().getNamespace();
  }

  public int instances() {
    return cluster.getSpec().getInstances();
  }

  public Instant now() {
    return observation.now();
  }

  public Optional<InstanceObservation> instance(String pod) {
    return observation.instance(pod);
  }

  public String annotation(String key) {
    Map<String, String> annotations = cluster.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  public boolean hibernating() {
    return "on".equalsIgnoreCase(annotation(Annotations.HIBERNATION));
  }

  /**
   * Fenced by the operator (status) or by a human (annotation, {@code "*"} included): {@link
   * ClusterObservation#fenced}.
   */
  public boolean fenced(String pod) {
    return observation.fenced(pod);
  }

  public static String opKey(String operation, String pod, String detail) {
    return operation + "/" + pod + "/" + detail;
  }
}
