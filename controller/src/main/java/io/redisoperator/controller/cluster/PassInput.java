package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.agent.ControllerIdentity;
import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.reconcile.Durable;
import io.redisoperator.controller.reconcile.ObservationAssembler;
import io.redisoperator.controller.reconcile.OwnedObjects;
import io.redisoperator.controller.reconcile.ReconcileInput;
import io.redisoperator.controller.reconcile.SpecInForce;
import io.redisoperator.controller.resources.DesiredPodHashes;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What one pass of a {@link ClusterActor} plans from.
 *
 * @param inForce the spec in force: an invalid edit is reported and ignored, everything runs on the
 *     last valid spec
 * @param owned the cluster's objects from the cache, with this actor's writes the cache has not
 *     shown yet
 * @param pods the owned pods
 * @param reconcile the planner's input
 * @param notYetReported the data pods the recorded status lists that this actor has not heard from
 *     yet ({@link StatusWriteGate#notYetReported})
 * @param firstContactPending the pods whose first answers are paced ({@link
 *     StatusWriteGate#firstContactPending})
 * @param credentials what the pollers and agent calls present; null until the agent CA exists
 */
record PassInput(
    SpecInForce inForce,
    OwnedObjects owned,
    List<Pod> pods,
    ReconcileInput reconcile,
    Set<String> notYetReported,
    Set<String> firstContactPending,
    AgentCredentials credentials) {

  /**
   * Assembles a pass's input from the caches and what the actor remembers between passes. Confined
   * to the actor: reading notes the fences the recorded status shows and expires the agent
   * operations' cooldowns, and the controller's client certificate is issued once and renewed here.
   */
  static final class Assembler {
    private final ClusterDeps deps;
    private final String namespace;
    private final String name;
    private final PodReports reports;
    private final FenceWarnings fenceWarnings;
    private final AgentOpCooldown cooldown;
    private final UserSecrets secrets;
    private final OutcomeMemory outcomes;
    private final Instant observingSince;
    private final ControllerIdentity identity = new ControllerIdentity();

    /** This cluster's desired pod spec hashes, kept while what the pod spec is built from stays. */
    private final DesiredPodHashes desiredHashes = new DesiredPodHashes();

    /**
     * @param observingSince when the actor started: the bound of the last contact of anything it
     *     never heard from
     */
    Assembler(
        ClusterDeps deps,
        String namespace,
        String name,
        PodReports reports,
        FenceWarnings fenceWarnings,
        AgentOpCooldown cooldown,
        UserSecrets secrets,
        OutcomeMemory outcomes,
        Instant observingSince) {
      this.deps = deps;
      this.namespace = namespace;
      this.name = name;
      this.reports = reports;
      this.fenceWarnings = fenceWarnings;
      this.cooldown = cooldown;
      this.secrets = secrets;
      this.outcomes = outcomes;
      this.observingSince = observingSince;
    }

    PassInput assemble(RedisCluster cluster, Instant now) {
      SpecInForce inForce = SpecInForce.of(cluster);
      OwnedObjects owned =
          OwnedObjects.of(outcomes.withPendingWrites(deps.cache().ownedBy(namespace, name), now));
      List<Pod> pods = owned.all(Pod.class);
      fenceWarnings.note(cluster.getStatus(), now);
      // Observed against the spec in force: an ignored edit makes no pod outdated and no instance
      // missing (the pods are built from the spec in force, so against the edit they would stay
      // outdated however often they were recreated).
      ClusterObservation observation =
          ObservationAssembler.assemble(
              inForce.cluster(),
              pods,
              reports.all(),
              now,
              deps.operatorImage(),
              fenceWarnings.since(),
              observingSince,
              desiredHashes);
      cooldown.expire(now);
      ReconcileInput input =
          new ReconcileInput(
              inForce.cluster(),
              owned,
              observation,
              secrets.authSecretVersion(inForce.cluster().getSpec(), owned, name),
              cooldown::isRecent,
              deps.operatorImage(),
              outcomes.switchover(Durable.of(cluster.getStatus())),
              deps.cache().cordonedNodes(),
              secrets.passwordHashes());
      return new PassInput(
          inForce,
          owned,
          pods,
          input,
          StatusWriteGate.notYetReported(pods, reports.heardFrom(), cluster.getStatus()),
          StatusWriteGate.firstContactPending(pods, reports.heardFrom(), cluster.getStatus()),
          identity
              .credentials(
                  owned.get(Secret.class, ResourceNames.agentCaSecret(name)).orElse(null), now)
              .orElse(null));
    }
  }
}
