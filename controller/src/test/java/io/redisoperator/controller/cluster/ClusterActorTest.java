package io.redisoperator.controller.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.kube.OwnedCache;
import io.redisoperator.controller.leader.Leadership;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.reconcile.Plan;
import io.redisoperator.controller.reconcile.ReconcileInput;
import io.redisoperator.controller.reconcile.ReconcilePlanner;
import io.redisoperator.controller.reconcile.ReconcileStep;
import io.redisoperator.controller.support.MockApi;
import io.redisoperator.controller.support.MockServers;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The cluster actor on its own: the CRUD mock with optimistic locking on status updates stands for
 * the API server (read directly, without informers), the test plays the kubelet, and a scripted
 * {@link AgentClient} stands for the pods' agents. What the actor's pollers report decides which
 * agent operations it sends.
 */
class ClusterActorTest {
  static final KubernetesMockServer server = MockServers.start();
  static final KubernetesClient client = server.createClient();
  static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String NAME = "c";

  private final ExecutorService apiExecutor = Executors.newFixedThreadPool(4);
  private final ScriptedAgents agents = new ScriptedAgents();
  private String ns;
  private ActorRef<ClusterCommand> actor;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
    MockServers.stop(server, client);
  }

  @BeforeEach
  void start(TestInfo info) throws Exception {
    MockApi.installCrd(client);
    ns = MockApi.namespaceFor(info, "ca-");
    client.resource(MockApi.cluster(ns, NAME, 2)).create();
    actor = testKit.spawn(ClusterActor.create(deps(ReconcilePlanner.standard()), ns, NAME, 1));
  }

  private ClusterDeps deps(ReconcilePlanner planner) {
    Leadership leadership = new Leadership();
    leadership.grant();
    OperatorMetrics metrics = new OperatorMetrics(() -> true);
    return new ClusterDeps(
        new ListingCache(),
        new KubeGateway(client, apiExecutor, metrics, "cluster-actor-test", leadership),
        agents,
        metrics,
        planner,
        Clock.systemUTC(),
        Duration.ofSeconds(2),
        // Longer than any test: a request is repeated within it only when clearly refused.
        Duration.ofMinutes(1),
        "example.org/redis-operator:test",
        new io.redisoperator.controller.pod.NewConnections(
            io.redisoperator.controller.pod.NewConnections.IN_FLIGHT, System::nanoTime),
        new io.redisoperator.controller.pod.AnswerPace(System::nanoTime));
  }

  @AfterEach
  void stop() {
    testKit.stop(actor);
    apiExecutor.shutdownNow();
  }

  @Test
  void pollerReportsBringTheClusterToHealthy() {
    awaitHealthy();
    RedisCluster cluster = cluster();
    assertEquals(ResourceNames.podName(NAME, 0), cluster.getStatus().getCurrentPrimary());
  }

  @Test
  void aReportOfAnUnwantedFenceLeadsToOneUnfence() {
    awaitHealthy();
    String replica = ResourceNames.podName(NAME, 1);
    agents.update(replica, s -> agents.withFence(s, true));
    await("unfence of " + replica)
        .atMost(TIMEOUT)
        .until(() -> agents.calls.contains("unfence " + replica));
    // The answer refreshed the report: no second request while the polls say unfenced.
    await("no repeated unfence")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> agents.count("unfence " + replica) == 1);
  }

  @Test
  void aReplicaReportedFollowingAnotherHostIsRepointedAtThePrimary() {
    awaitHealthy();
    String replica = ResourceNames.podName(NAME, 1);
    String primaryIp = ipOf(ResourceNames.podName(NAME, 0));
    agents.update(replica, s -> agents.following(s, "10.9.9.9"));
    await("replicate " + replica + " from the primary")
        .atMost(TIMEOUT)
        .until(() -> agents.calls.contains("replicate " + replica + " " + primaryIp));
    await("no repeated replicate")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> agents.count("replicate " + replica + " " + primaryIp) == 1);
  }

  @Test
  void aClearlyRefusedFenceIsRetriedAtTheNextPass() {
    awaitHealthy();
    String replica = ResourceNames.podName(NAME, 1);
    agents.refuseFence = true;
    MockApi.edit(
        client,
        ns,
        NAME,
        c -> {
          Map<String, String> annotations =
              new HashMap<>(Optional.ofNullable(c.getMetadata().getAnnotations()).orElse(Map.of()));
          annotations.put(
              io.redisoperator.protocol.naming.Annotations.FENCED_INSTANCES,
              "[\"" + replica + "\"]");
          c.getMetadata().setAnnotations(annotations);
          return c;
        });
    actor.tell(new ClusterCommand.ClusterUpdated(cluster()));
    // A refusal is no reason to wait out the cooldown: the next pass (a resync at the latest) asks
    // again.
    await("fence asked twice").atMost(TIMEOUT).until(() -> agents.count("fence " + replica) >= 2);
    agents.refuseFence = false;
    await("fenced")
        .atMost(TIMEOUT)
        .until(() -> agents.statusOf(replica).map(InstanceStatus::fenced).orElse(false));
  }

  @Test
  void anInvalidEditThatWouldChangeThePodsRecreatesNone() {
    awaitHealthy();
    await("last valid spec recorded")
        .atMost(TIMEOUT)
        .until(() -> cluster().getStatus().getLastValidSpec() != null);
    Map<String, String> pods = podUids();
    MockApi.edit(
        client,
        ns,
        NAME,
        c -> {
          c.getSpec().setImageName("redis:7.4"); // another pod spec, were the edit applied
          c.getSpec().getRedis().put("replicaof", "10.9.9.9 6379");
          return c;
        });
    actor.tell(new ClusterCommand.ClusterUpdated(cluster()));
    await("Invalid").atMost(TIMEOUT).until(() -> cluster().getStatus().getPhase() == Phase.INVALID);
    // Resyncs every 2 s: a rolling update would have deleted a pod within them.
    await("no pod recreated")
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(8))
        .until(() -> podUids().equals(pods));
  }

  /**
   * A restarted controller's first pass gives the pollers their pods and credentials before it
   * plans, and the pollers run on their own threads: a pod is polled while its cluster's pass is
   * still planning (a restart used to plan every cluster before polling any pod).
   */
  @Test
  void aRestartedActorsPodsArePolledWhileItsFirstPassPlans() {
    awaitHealthy();
    testKit.stop(actor);
    agents.statusThreads.clear();
    HoldingStep holding = new HoldingStep(() -> !agents.statusThreads.isEmpty());
    actor =
        testKit.spawn(
            ClusterActor.create(deps(new ReconcilePlanner(List.of(holding))), ns, NAME, 1));
    await("first pass planned").atMost(TIMEOUT).until(() -> holding.polledWhilePlanning != null);
    assertTrue(holding.polledWhilePlanning, "a pod polled while the first pass planned");
    assertTrue(
        agents.statusThreads.get(0).contains("pollers-dispatcher"), agents.statusThreads.get(0));
  }

  /** Holds the actor's first pass until {@code polled} holds, or for at most 10 s. */
  private static final class HoldingStep implements ReconcileStep {
    private final java.util.concurrent.Callable<Boolean> polled;
    volatile Boolean polledWhilePlanning;

    HoldingStep(java.util.concurrent.Callable<Boolean> polled) {
      this.polled = polled;
    }

    @Override
    public void plan(ReconcileInput in, Plan plan) {
      if (polledWhilePlanning != null) {
        return;
      }
      try {
        await("a poll").atMost(Duration.ofSeconds(10)).until(polled);
        polledWhilePlanning = true;
      } catch (ConditionTimeoutException e) {
        polledWhilePlanning = false;
      }
    }
  }

  private Map<String, String> podUids() {
    Map<String, String> uids = new HashMap<>();
    for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
      uids.put(pod.getMetadata().getName(), pod.getMetadata().getUid());
    }
    return uids;
  }

  private void awaitHealthy() {
    await(NAME + " Healthy")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              bootPods();
              RedisCluster c = cluster();
              return c.getStatus() != null
                  && c.getStatus().getPhase() == Phase.HEALTHY
                  && c.getStatus().getReadyInstances() == 2;
            });
  }

  private RedisCluster cluster() {
    return client.resources(RedisCluster.class).inNamespace(ns).withName(NAME).get();
  }

  /**
   * Plays the kubelet: a new pod runs at once with an agent that is primary when status names it,
   * else a replica of the recorded primary; the actor hears of the change as from its informers.
   */
  private void bootPods() {
    RedisCluster cluster = cluster();
    String primary = cluster.getStatus() == null ? null : cluster.getStatus().getCurrentPrimary();
    for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
      String name = pod.getMetadata().getName();
      if (ResourceNames.ordinalOf(NAME, name).isEmpty()
          || (pod.getStatus() != null && pod.getStatus().getPodIP() != null)) {
        continue;
      }
      pod.setStatus(
          new PodStatusBuilder()
              .withPhase("Running")
              .withPodIP(ipOf(name))
              .withConditions(
                  new PodConditionBuilder().withType("Ready").withStatus("True").build())
              .build());
      client.pods().inNamespace(ns).resource(pod).updateStatus();
      agents.statuses.put(
          name,
          name.equals(primary)
              ? ScriptedAgents.status(name, InstanceRole.PRIMARY, null, false)
              : ScriptedAgents.status(
                  name, InstanceRole.REPLICA, primary == null ? null : ipOf(primary), false));
      actor.tell(ClusterCommand.OwnedChanged.INSTANCE);
    }
  }

  private static String ipOf(String pod) {
    return "10.1.0." + (ResourceNames.ordinalOf(NAME, pod).orElseThrow() + 1);
  }

  /** The informer caches, read straight from the mock API server. */
  private final class ListingCache implements OwnedCache {
    private static final List<Class<? extends HasMetadata>> KINDS =
        List.of(
            Pod.class,
            PersistentVolumeClaim.class,
            Service.class,
            Secret.class,
            ConfigMap.class,
            PodDisruptionBudget.class,
            ServiceAccount.class,
            Role.class,
            RoleBinding.class);

    @Override
    public Optional<RedisCluster> cluster(String namespace, String name) {
      return Optional.ofNullable(
          client.resources(RedisCluster.class).inNamespace(namespace).withName(name).get());
    }

    @Override
    public Map<Class<? extends HasMetadata>, List<HasMetadata>> ownedBy(
        String namespace, String cluster) {
      Map<Class<? extends HasMetadata>, List<HasMetadata>> owned = new HashMap<>();
      for (Class<? extends HasMetadata> kind : KINDS) {
        owned.put(
            kind,
            List.copyOf(
                client
                    .resources(kind)
                    .inNamespace(namespace)
                    .withLabel(Labels.CLUSTER, cluster)
                    .list()
                    .getItems()));
      }
      return owned;
    }

    @Override
    public Set<String> cordonedNodes() {
      return Set.of();
    }

    @Override
    public Optional<Secret> userSecret(String namespace, String name) {
      return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    }
  }

  /**
   * Agents without HTTP: each pod's status is set by the test or by the operations it receives,
   * which are journaled as {@code "<operation> <pod>[ <primary IP>]"}.
   */
  static final class ScriptedAgents implements AgentClient {
    final Map<String, InstanceStatus> statuses = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    /** The thread of every status request, in order. */
    final List<String> statusThreads = new CopyOnWriteArrayList<>();

    volatile boolean refuseFence;

    static InstanceStatus status(String pod, InstanceRole role, String masterHost, boolean fenced) {
      boolean replica = role == InstanceRole.REPLICA;
      return InstanceStatus.builder(pod)
          .role(role)
          .redisUp(true)
          .redisVersion("7.2.4")
          .masterReplId("replid")
          .replicationOffset(1000L)
          .masterHost(replica ? masterHost : null)
          .masterPort(replica ? AgentApi.REDIS_PORT : null)
          .masterLinkUp(replica ? masterHost != null : null)
          .masterLastIoSecondsAgo(replica ? 0L : -1L)
          .connectedReplicas(List.of())
          .fenced(fenced)
          .configHash("hash")
          .secretVersions(Map.of())
          .agentUptimeSeconds(10)
          .redisProcessRunning(true)
          .build();
    }

    InstanceStatus withFence(InstanceStatus s, boolean fenced) {
      return status(s.podName(), s.role(), s.masterHost(), fenced);
    }

    InstanceStatus following(InstanceStatus s, String host) {
      return status(s.podName(), InstanceRole.REPLICA, host, s.fenced());
    }

    void update(String pod, java.util.function.UnaryOperator<InstanceStatus> change) {
      statuses.computeIfPresent(pod, (p, s) -> change.apply(s));
    }

    Optional<InstanceStatus> statusOf(String pod) {
      return Optional.ofNullable(statuses.get(pod));
    }

    long count(String call) {
      return calls.stream().filter(call::equals).count();
    }

    private CompletionStage<OperationResult> answer(String pod, String message) {
      return CompletableFuture.completedFuture(new OperationResult(message, statuses.get(pod)));
    }

    @Override
    public CompletionStage<InstanceStatus> status(AgentEndpoint agent, Duration timeout) {
      statusThreads.add(Thread.currentThread().getName());
      InstanceStatus status = statuses.get(agent.pod());
      return status == null
          ? CompletableFuture.failedFuture(
              new AgentCallException(PollFailure.CONNECTION_REFUSED, 0, null, "no agent yet", null))
          : CompletableFuture.completedFuture(status);
    }

    @Override
    public CompletionStage<OperationResult> replicate(
        AgentEndpoint agent, ReplicateRequest request) {
      calls.add("replicate " + agent.pod() + " " + request.host());
      update(agent.pod(), s -> following(s, request.host()));
      return answer(agent.pod(), "replicating");
    }

    @Override
    public CompletionStage<OperationResult> fence(AgentEndpoint agent, FenceRequest request) {
      calls.add("fence " + agent.pod());
      if (refuseFence) {
        return CompletableFuture.failedFuture(
            new AgentCallException(PollFailure.HTTP_ERROR, 503, null, "scripted refusal", null));
      }
      update(agent.pod(), s -> withFence(s, true));
      return answer(agent.pod(), "fenced");
    }

    @Override
    public CompletionStage<OperationResult> unfence(AgentEndpoint agent) {
      calls.add("unfence " + agent.pod());
      update(agent.pod(), s -> withFence(s, false));
      return answer(agent.pod(), "unfenced");
    }

    @Override
    public CompletionStage<OperationResult> promote(AgentEndpoint agent, PromoteRequest request) {
      calls.add("promote " + agent.pod());
      return CompletableFuture.failedFuture(new IllegalStateException("not scripted"));
    }

    @Override
    public CompletionStage<SwitchoverResult> switchover(
        AgentEndpoint agent, SwitchoverRequest request) {
      calls.add("switchover " + agent.pod());
      return CompletableFuture.failedFuture(new IllegalStateException("not scripted"));
    }

    @Override
    public CompletionStage<BackupProgress> startBackup(AgentEndpoint agent, BackupRequest request) {
      return CompletableFuture.failedFuture(new IllegalStateException("not scripted"));
    }

    @Override
    public CompletionStage<BackupProgress> backupProgress(AgentEndpoint agent) {
      return CompletableFuture.failedFuture(new IllegalStateException("not scripted"));
    }

    @Override
    public CompletionStage<io.redisoperator.protocol.agent.LegacyUsersResult> legacyUsers(
        AgentEndpoint agent, io.redisoperator.protocol.agent.LegacyUsersRequest request) {
      return CompletableFuture.failedFuture(new IllegalStateException("not scripted"));
    }
  }
}
