package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.acl.AclStatus;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.util.List;
import org.junit.jupiter.api.Test;

class LegacyUsersStepTest {
  private final PlannerFixture f = new PlannerFixture(3, "c-0");

  /** c-0 primary and c-2 replica run the version before ACL users; c-1 this version. */
  private void upgrading(Boolean newReplicaLinked, Integer protocolVersion) {
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.pod(2, InstanceRole.REPLICA, "10.0.0.1");
    PodReport r = f.reports.get("c-1");
    InstanceStatus s = r.status();
    InstanceStatus current =
        new InstanceStatus(
            s.podName(),
            s.role(),
            s.redisUp(),
            s.redisVersion(),
            s.masterReplId(),
            s.replicationOffset(),
            s.masterHost(),
            s.masterPort(),
            newReplicaLinked,
            s.masterLastIoSecondsAgo(),
            s.connectedReplicas(),
            s.fenced(),
            s.selfFenced(),
            s.restartCount(),
            s.configHash(),
            s.secretVersions(),
            s.agentUptimeSeconds(),
            s.redisProcessRunning(),
            s.backup(),
            protocolVersion,
            new AclStatus(1, null));
    f.reports.put(
        "c-1",
        new PodReport(
            "c-1",
            r.podIP(),
            current,
            PlannerFixture.NOW,
            0,
            PollFailure.NONE,
            PlannerFixture.NOW));
  }

  @Test
  void aNewReplicaThatCannotLinkToAnOldPrimaryHasItGivenTheOperatorsUsers() {
    upgrading(false, AgentApi.PROTOCOL_VERSION);
    Plan plan = f.plan(new LegacyUsersStep());
    assertEquals(
        List.of(
            new Action.SeedLegacyUsers(
                "c-1", "10.0.0.2", "c-0", "10.0.0.1", AgentApi.REDIS_PORT, "c-auth")),
        plan.actions(),
        "only the old primary the new replica follows; the old replica c-2 is not needed");
  }

  @Test
  void nothingOnceTheLinkIsUp() {
    upgrading(true, AgentApi.PROTOCOL_VERSION);
    assertEquals(List.of(), f.plan(new LegacyUsersStep()).actions());
  }

  @Test
  void nothingThroughAnAgentThatDoesNotServeTheEndpoint() {
    upgrading(false, LegacyUsersStep.MIN_PROTOCOL_VERSION - 1);
    assertEquals(List.of(), f.plan(new LegacyUsersStep()).actions());
  }

  @Test
  void nothingInAClusterWithoutOldPods() {
    // Every pod of the fixture reports no ACL state until told otherwise: give them all one.
    upgrading(false, AgentApi.PROTOCOL_VERSION);
    for (String pod : List.of("c-0", "c-2")) {
      PodReport r = f.reports.get(pod);
      InstanceStatus s = r.status();
      f.reports.put(
          pod,
          new PodReport(
              pod,
              r.podIP(),
              new InstanceStatus(
                  s.podName(),
                  s.role(),
                  s.redisUp(),
                  s.redisVersion(),
                  s.masterReplId(),
                  s.replicationOffset(),
                  s.masterHost(),
                  s.masterPort(),
                  s.masterLinkUp(),
                  s.masterLastIoSecondsAgo(),
                  s.connectedReplicas(),
                  s.fenced(),
                  s.selfFenced(),
                  s.restartCount(),
                  s.configHash(),
                  s.secretVersions(),
                  s.agentUptimeSeconds(),
                  s.redisProcessRunning(),
                  s.backup(),
                  s.protocolVersion(),
                  new AclStatus(1, null)),
              PlannerFixture.NOW,
              0,
              PollFailure.NONE,
              PlannerFixture.NOW));
    }
    assertEquals(List.of(), f.plan(new LegacyUsersStep()).actions());
  }
}
