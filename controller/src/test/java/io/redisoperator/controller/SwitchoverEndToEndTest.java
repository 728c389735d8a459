package io.redisoperator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.redisoperator.controller.failover.SwitchoverPlanner;
import io.redisoperator.controller.support.FakeAgent;
import io.redisoperator.controller.support.MockApi;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.Condition;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Planned switchover driven by the controller against the CRUD mock with fake agents: a confirmed
 * handoff moves status and the role labels at once; a handoff that keeps failing is abandoned after
 * a bounded number of attempts, cleanly (annotation consumed, target cleared, Warning event,
 * condition naming why, back to Healthy).
 */
class SwitchoverEndToEndTest extends OperatorOnMockTest {
  @Override
  String namespacePrefix() {
    return "s-";
  }

  private static final String SWITCHOVER_CALL = "POST " + AgentApi.PATH_SWITCHOVER;

  private boolean healthy(String name) {
    RedisCluster c = get(name);
    return c.getStatus() != null && c.getStatus().getPhase() == Phase.HEALTHY;
  }

  private Optional<Condition> switchoverCondition(String name) {
    return Conditions.find(
        get(name).getStatus().getConditions(), ConditionType.SWITCHOVER_SUCCEEDED);
  }

  private long switchoverCalls(FakeAgent agent) {
    return agent.calls.stream().filter(SWITCHOVER_CALL::equals).count();
  }

  private String roleLabel(String pod) {
    return client
        .pods()
        .inNamespace(ns)
        .withName(pod)
        .get()
        .getMetadata()
        .getLabels()
        .get(Labels.ROLE);
  }

  private List<Event> warnings(EventReason reason) {
    return client.events().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && reason.reason().equals(e.getReason()))
        .toList();
  }

  @Test
  void failingHandoffIsAbandonedAfterBoundedAttemptsThenALaterRequestSucceeds() throws Exception {
    client.resource(MockApi.cluster(ns, "gvu", 3)).create();
    await("gvu Healthy")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> healthy("gvu") && get("gvu").getStatus().getReadyInstances() == 3);
    FakeAgent primary = fleet.pod("gvu-0");
    primary.failSwitchover = true;

    annotate("gvu", Annotations.SWITCHOVER_TO, "gvu-1");
    await("switchover abandoned")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                switchoverCondition("gvu")
                    .filter(
                        c ->
                            c.getStatus() == ConditionStatus.FALSE
                                && c.getReason() == ConditionReason.SWITCHOVER_ABANDONED)
                    .isPresent());
    Condition abandoned = switchoverCondition("gvu").orElseThrow();
    assertTrue(
        abandoned.getMessage().contains("gvu-1")
            && abandoned.getMessage().contains("did not catch up"),
        "the condition names the target and why: " + abandoned.getMessage());
    RedisCluster after = get("gvu");
    assertEquals("gvu-0", after.getStatus().getCurrentPrimary(), "the primary never changed");
    assertEquals("gvu-0", after.getStatus().getTargetPrimary(), "the target is cleared");
    assertEquals(null, annotation("gvu", Annotations.SWITCHOVER_TO), "the request is consumed");
    assertEquals(SwitchoverPlanner.MAX_ATTEMPTS, switchoverCalls(primary), "bounded attempts");
    await("Warning event SwitchoverAbandoned")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> warnings(EventReason.SWITCHOVER_ABANDONED).size() == 1);
    assertEquals(
        SwitchoverPlanner.MAX_ATTEMPTS,
        warnings(EventReason.SWITCHOVER_FAILED).size(),
        "one Warning per failed attempt");
    await("back to Healthy").atMost(TIMEOUT).ignoreExceptions().until(() -> healthy("gvu"));
    assertEquals(Labels.ROLE_PRIMARY, roleLabel("gvu-0"));
    // Longer than the retry pause: a given-up switchover is not tried again.
    await("no attempt after giving up")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                switchoverCalls(primary) == SwitchoverPlanner.MAX_ATTEMPTS
                    && get("gvu").getStatus().getPhase() == Phase.HEALTHY);

    // Counted from here: while the attempts failed, a status poll starved by a loaded machine may
    // have refused one attempt (the primary not answering), which is right and retried.
    int refusedBefore = warnings(EventReason.SWITCHOVER_REFUSED).size();
    primary.failSwitchover = false;
    annotate("gvu", Annotations.SWITCHOVER_TO, "gvu-1");
    await("gvu-1 primary")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> "gvu-1".equals(get("gvu").getStatus().getCurrentPrimary()));
    await("labels moved")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                Labels.ROLE_PRIMARY.equals(roleLabel("gvu-1"))
                    && !Labels.ROLE_PRIMARY.equals(roleLabel("gvu-0")));
    await("condition True")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                switchoverCondition("gvu")
                    .filter(
                        c ->
                            c.getStatus() == ConditionStatus.TRUE
                                && c.getReason() == ConditionReason.SWITCHED_OVER)
                    .isPresent());
    await("annotation consumed")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> annotation("gvu", Annotations.SWITCHOVER_TO) == null);
    await("Healthy on gvu-1").atMost(TIMEOUT).ignoreExceptions().until(() -> healthy("gvu"));
    assertEquals(
        refusedBefore,
        warnings(EventReason.SWITCHOVER_REFUSED).size(),
        "a confirmed handoff is never mistaken for a dead primary");
  }
}
