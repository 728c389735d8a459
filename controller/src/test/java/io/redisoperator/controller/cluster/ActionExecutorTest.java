package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.leader.Leadership;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.reconcile.Action;
import io.redisoperator.controller.reconcile.OwnedObjects;
import io.redisoperator.controller.support.MockServers;
import io.redisoperator.controller.support.UnscriptedAgentClient;
import io.redisoperator.protocol.crd.RedisCluster;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** How {@link ActionExecutor}'s outcomes wait (or do not wait) for the calls around an action. */
class ActionExecutorTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = MockServers.start();
    client = server.createClient();
  }

  @AfterAll
  static void stop() {
    MockServers.stop(server, client);
  }

  /**
   * A pod's creation ends with the create and sends nothing else: its Event is the actor's, one for
   * the pass's pods ({@link LifecycleEvents}), and an Event awaited here queued behind every other
   * cluster's calls and held the pass (and so the cluster's next step) for that whole queue.
   */
  @Test
  void aCreatedPodsOutcomeIsTheCreateAlone() throws Exception {
    FirstCallOnly api = new FirstCallOnly();
    Leadership leadership = new Leadership();
    leadership.grant();
    ActionExecutor executor =
        new ActionExecutor(
            new KubeGateway(client, api, new OperatorMetrics(), "executor-test", leadership),
            new UnscriptedAgentClient() {});
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setNamespace("ae");
    cluster.getMetadata().setName("c");
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("ae")
            .withName("c-0")
            .endMetadata()
            .build();

    ActionOutcome outcome =
        executor
            .run(new Action.Create(pod), cluster, null, null)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertTrue(outcome.ok(), "outcome: " + outcome);
    assertEquals(0, api.held(), "no Event of its own");
  }

  /**
   * A plan's agent operations are sent, not awaited: only the other actions' outcomes make the
   * pass's, in the plan's order.
   */
  @Test
  void aPlansAgentOperationsAreSentBesideTheOutcomesThePassAwaits() throws Exception {
    ActionExecutor executor =
        new ActionExecutor(
            new KubeGateway(
                client, new FirstCallOnly(), new OperatorMetrics(), "executor-test", granted()),
            new UnscriptedAgentClient() {});
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setNamespace("ae");
    cluster.getMetadata().setName("c");
    Action.Fence fence = new Action.Fence("c-1", "10.0.0.1", "test");
    Action.Delete delete = new Action.Delete(Pod.class, "c-2", "test");

    ActionExecutor.Started started =
        executor.runAll(
            List.of(fence, delete),
            cluster,
            OwnedObjects.of(),
            null,
            LoggerFactory.getLogger(ActionExecutorTest.class));

    assertEquals(1, started.operations().size());
    assertEquals(fence.cooldownKey(), started.operations().get(0).cooldownKey());
    assertFalse(
        started.operations().get(0).outcome().toCompletableFuture().get(10, TimeUnit.SECONDS).ok(),
        "the unscripted agent refused it: an outcome, never an exception");
    List<ActionOutcome> awaited = started.awaited().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(delete), awaited.stream().map(ActionOutcome::action).toList());
  }

  private static Leadership granted() {
    Leadership leadership = new Leadership();
    leadership.grant();
    return leadership;
  }

  /** Runs the first call it is given; queues every later one (the API calls behind it). */
  private static final class FirstCallOnly extends AbstractExecutorService {
    private final Deque<Runnable> queued = new ArrayDeque<>();
    private boolean ranFirst;

    @Override
    public synchronized void execute(Runnable command) {
      if (ranFirst) {
        queued.add(command);
        return;
      }
      ranFirst = true;
      new Thread(command, "first-call").start();
    }

    synchronized int held() {
      return queued.size();
    }

    @Override
    public void shutdown() {}

    @Override
    public java.util.List<Runnable> shutdownNow() {
      return java.util.List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
