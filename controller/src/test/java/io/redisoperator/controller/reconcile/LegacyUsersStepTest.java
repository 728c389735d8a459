package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisoperator.protocol.acl.AclStatus;
import io.redisoperator.protocol.agent.AgentApi;
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
    f.report(
        "c-1",
        s ->
            s.masterLinkUp(newReplicaLinked)
                .protocolVersion(protocolVersion)
                .acl(new AclStatus(1, null)));
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
      f.report(pod, s -> s.acl(new AclStatus(1, null)));
    }
    assertEquals(List.of(), f.plan(new LegacyUsersStep()).actions());
  }
}
