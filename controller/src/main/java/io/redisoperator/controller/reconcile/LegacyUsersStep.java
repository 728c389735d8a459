package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * The upgrade from an operator version before ACL users. Its pods' Redis knows only {@code
 * default}, so a pod of this version, which authenticates replication as the replication user,
 * cannot link to one of them and the rolling update would wait for it forever. When a pod of this
 * version replicates from such a pod and its link is down, the step has the agent of the linking
 * pod give the old pod the operator's users (and point its own {@code masteruser} at the
 * replication user, for the switchover that ends the update). An old pod is one whose agent reports
 * no ACL state; the users it gets live in its memory only, so the step acts again whenever the
 * symptom returns (an old Redis restarted). Nothing happens in a cluster without old pods.
 */
public final class LegacyUsersStep implements ReconcileStep {
  /** The first agent protocol version that serves {@code /v1/legacy-users}. */
  static final int MIN_PROTOCOL_VERSION = 4;

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    for (Pod legacy : DataPods.of(in)) {
      String legacyPod = legacy.getMetadata().getName();
      Optional<InstanceObservation> old = in.instance(legacyPod);
      if (old.isEmpty()
          || !old.get().answering()
          || old.get().podIP() == null
          || !legacy(old.get().lastStatus())) {
        continue;
      }
      String legacyIP = old.get().podIP();
      seederFor(in, legacyIP)
          .ifPresent(
              seeder ->
                  plan.add(
                      new Action.SeedLegacyUsers(
                          seeder.podName(),
                          seeder.podIP(),
                          legacyPod,
                          legacyIP,
                          AgentApi.REDIS_PORT,
                          ClusterSecrets.authSecretName(in.cluster()))));
    }
  }

  /** Redis up under an agent from before ACL users (it reports no ACL state). */
  static boolean legacy(InstanceStatus status) {
    return status != null && status.redisUp() && status.acl() == null;
  }

  /** A pod of this version replicating from {@code legacyIP} without a working link. */
  private static Optional<InstanceObservation> seederFor(ReconcileInput in, String legacyIP) {
    return DataPods.of(in).stream()
        .map(p -> in.instance(p.getMetadata().getName()))
        .flatMap(Optional::stream)
        .filter(o -> o.answering() && o.podIP() != null && o.lastStatus() != null)
        .filter(o -> stalledOn(o.lastStatus(), legacyIP))
        .findFirst();
  }

  static boolean stalledOn(InstanceStatus status, String legacyIP) {
    return status.acl() != null
        && status.protocolVersion() != null
        && status.protocolVersion() >= MIN_PROTOCOL_VERSION
        && status.redisUp()
        && Objects.equals(legacyIP, status.masterHost())
        && !Boolean.TRUE.equals(status.masterLinkUp());
  }
}
