package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.reconcile.Action;
import io.redisoperator.controller.reconcile.Durable;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.event.EventReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class OutcomeMemoryTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private final PodReports reports = new PodReports();
  private final AgentOpCooldown cooldown = new AgentOpCooldown(Duration.ofMinutes(1));
  private final OutcomeMemory memory = new OutcomeMemory(reports, cooldown, NOPLogger.NOP_LOGGER);

  static ActionOutcome ok(Action action, HasMetadata before, HasMetadata after, Object result) {
    return new ActionOutcome(action, before, after, result, null);
  }

  static ActionOutcome failed(Action action, Throwable failure) {
    return new ActionOutcome(action, null, null, null, failure);
  }

  static Durable switchingOver(String from, String to) {
    RedisClusterStatus status = new RedisClusterStatus();
    status.setCurrentPrimary(from);
    status.setTargetPrimary(to);
    return Durable.of(status);
  }

  @Test
  void aCreatedObjectIsSeenBeforeTheCacheShowsIt() {
    Pod pod = new PodBuilder().withNewMetadata().withName("c-1").endMetadata().build();
    assertSame(
        OutcomeMemory.Followup.NOTHING,
        memory.learn(ok(new Action.Create(pod), null, pod, null), T0));
    Map<Class<? extends HasMetadata>, List<HasMetadata>> seen =
        memory.withPendingWrites(Map.of(Pod.class, List.of()), T0);
    assertEquals(List.of(pod), seen.get(Pod.class));
  }

  @Test
  void anExistingCreateIsNoFailureOtherFailuresAreRetried() {
    Pod pod = new PodBuilder().withNewMetadata().withName("c-1").endMetadata().build();
    assertSame(
        OutcomeMemory.Followup.NOTHING,
        memory.learn(
            failed(new Action.Create(pod), new KubernetesClientException("exists", 409, null)),
            T0));
    assertTrue(
        memory
            .learn(
                failed(
                    new Action.Patch(Pod.class, "c-1", Map.of(), "label"),
                    new KubernetesClientException("gone", 500, null)),
                T0)
            .failed());
  }

  @Test
  void theActorsOwnClusterEditReplacesTheClusterAndIsPlannedAtOnce() {
    RedisCluster patched = new RedisCluster();
    patched.getMetadata().setResourceVersion("9");
    OutcomeMemory.Followup followup =
        memory.learn(
            ok(
                new Action.Patch(RedisCluster.class, "c", Map.of(), "consumed"),
                null,
                patched,
                null),
            T0);
    assertSame(patched, followup.cluster());
    assertTrue(followup.replan());
  }

  @Test
  void aPromotionAnswerRefreshesTheReportAndAsksForAPollNow() {
    reports.take(
        PodReportsTest.report(
            "10.0.0.2", PodReportsTest.status(InstanceRole.REPLICA, 1, false), T0),
        3);
    OperationResult answer =
        new OperationResult("promoted", PodReportsTest.status(InstanceRole.PRIMARY, 1, false));
    OutcomeMemory.Followup followup =
        memory.learn(
            ok(
                new Action.Promote("c-1", "10.0.0.2", new PromoteRequest("r", 1L, 1000L)),
                null,
                null,
                answer),
            T0.plusSeconds(1));
    assertEquals(new OutcomeMemory.Followup(false, true, null, "c-1", null), followup);
    assertEquals(InstanceRole.PRIMARY, reports.all().get("c-1").status().role());
  }

  @Test
  void switchoverFailuresAreCountedAndAConfirmedHandoffIsRemembered() {
    Action.Switchover handoff =
        new Action.Switchover(
            "c-0", "10.0.0.1", "c-1", new SwitchoverRequest("10.0.0.2", 6379, 1000));
    OutcomeMemory.Followup first =
        memory.learn(failed(handoff, new IllegalStateException("lagging")), T0);
    assertTrue(first.failed());
    assertEquals(EventReason.SWITCHOVER_FAILED, first.emit().reason());
    assertTrue(first.emit().note().contains("attempt 1 of"), first.emit().note());
    OutcomeMemory.Followup second =
        memory.learn(failed(handoff, new IllegalStateException("lagging")), T0);
    assertTrue(second.emit().note().contains("attempt 2 of"), second.emit().note());
    assertEquals(2, memory.switchover(switchingOver("c-0", "c-1")).failedAttempts());
    // Another switchover in status: the count starts again.
    assertEquals(0, memory.switchover(switchingOver("c-0", "c-2")).failedAttempts());

    reports.take(
        PodReportsTest.report(
            "10.0.0.1", PodReportsTest.status(InstanceRole.PRIMARY, 1, false), T0),
        3);
    OutcomeMemory.Followup confirmed = memory.learn(ok(handoff, null, null, null), T0);
    assertEquals(new OutcomeMemory.Followup(false, true, null, "c-1", null), confirmed);
    assertTrue(memory.switchover(switchingOver("c-0", "c-1")).handedOver());
  }

  @Test
  void anAgentAnswerRefreshesTheReportARefusalLiftsTheCooldownATimeoutKeepsIt() {
    Action.Fence fence = new Action.Fence("c-1", "10.0.0.2", "fenced by annotation");
    String key = fence.cooldownKey();
    reports.take(
        PodReportsTest.report(
            "10.0.0.2", PodReportsTest.status(InstanceRole.REPLICA, 1, false), T0),
        3);
    cooldown.sent(key, T0);
    memory.learnFromAgent(
        key, failed(fence, new AgentCallException(PollFailure.TIMEOUT, 0, null, "slow", null)), T0);
    assertTrue(cooldown.isRecent(key));
    assertFalse(
        memory
            .learnFromAgent(
                key,
                failed(
                    fence, new AgentCallException(PollFailure.HTTP_ERROR, 503, null, "busy", null)),
                T0)
            .replan());
    assertFalse(cooldown.isRecent(key));
    OperationResult answer =
        new OperationResult("fenced", PodReportsTest.status(InstanceRole.REPLICA, 1, true));
    assertTrue(memory.learnFromAgent(key, ok(fence, null, null, answer), T0).replan());
    assertTrue(reports.all().get("c-1").status().fenced());
    assertNull(memory.learnFromAgent(key, ok(fence, null, null, answer), T0).pollNow());
  }
}
