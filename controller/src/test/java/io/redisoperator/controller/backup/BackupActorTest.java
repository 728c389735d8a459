package io.redisoperator.controller.backup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.kube.OwnedCache;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.support.MockServers;
import io.redisoperator.controller.support.UnscriptedAgentClient;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.ClusterReference;
import io.redisoperator.protocol.crd.ObjectStore;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisBackupStatus;
import io.redisoperator.protocol.crd.RedisCluster;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RedisBackup actor against the fabric8 CRUD mock with a scripted agent: Pending to Running on
 * the chosen replica to Completed, and the two ways a Running backup ends Failed without its agent
 * saying so (its pod is gone, or an operator restart finds a backup the agent does not know).
 */
class BackupActorTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  @BeforeAll
  static void startMock() {
    server = MockServers.start();
    client = server.createClient();
  }

  @AfterAll
  static void stopMock() {
    MockServers.stop(server, client);
  }

  static final ActorTestKit testKit = ActorTestKit.create();
  static final String NS = "bk";

  /** An agent whose backup answers the test sets. */
  static final class ScriptedAgent extends UnscriptedAgentClient {
    final ConcurrentLinkedQueue<String> started = new ConcurrentLinkedQueue<>();
    final AtomicReference<BackupProgress> progress = new AtomicReference<>();

    /** Start requests answered with a refused connection before the agent accepts one. */
    final java.util.concurrent.atomic.AtomicInteger refusals =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public CompletionStage<BackupProgress> startBackup(AgentEndpoint agent, BackupRequest request) {
      if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return CompletableFuture.failedFuture(
            new AgentCallException(PollFailure.CONNECTION_REFUSED, 0, null, "refused", null));
      }
      BackupProgress p =
          new BackupProgress(
              request.backupId(),
              request.method(),
              BackupProgress.State.RUNNING,
              request.location().uri(),
              0,
              null,
              null,
              0,
              null,
              null);
      progress.compareAndSet(null, p);
      // Recorded last: a test that waits for the start then reads the progress must find it set.
      started.add(agent.ip() + " " + request.backupId() + " " + request.location().key());
      return CompletableFuture.completedFuture(p);
    }

    @Override
    public CompletionStage<BackupProgress> backupProgress(AgentEndpoint agent) {
      BackupProgress p = progress.get();
      return p == null
          ? CompletableFuture.failedFuture(
              new AgentCallException(PollFailure.HTTP_ERROR, 404, null, "none", null))
          : CompletableFuture.completedFuture(p);
    }
  }

  /** The cluster and its pods as the informers would hold them. */
  static final class Cache implements OwnedCache {
    @Override
    public Optional<io.fabric8.kubernetes.api.model.Secret> userSecret(
        String namespace, String name) {
      return Optional.empty(); // backups read no user Secret
    }

    final RedisCluster cluster = BackupPlannersTest.cluster(Phase.HEALTHY);
    final Map<String, Pod> pods = new java.util.concurrent.ConcurrentHashMap<>();
    final Secret caSecret =
        io.redisoperator.controller.resources.ClusterAuthority.AGENT.newSecret(
            cluster, java.time.Instant.now());

    Cache() {
      cluster.getMetadata().setNamespace(NS);
      for (var e : cluster.getStatus().getInstancesStatus().entrySet()) {
        pods.put(
            e.getKey(),
            new PodBuilder()
                .withNewMetadata()
                .withName(e.getKey())
                .withNamespace(NS)
                .endMetadata()
                .withNewStatus()
                .withPodIP(e.getValue().getPodIP())
                .endStatus()
                .build());
      }
    }

    @Override
    public Optional<RedisCluster> cluster(String namespace, String name) {
      return name.equals("cache") ? Optional.of(cluster) : Optional.empty();
    }

    @Override
    public java.util.Set<String> cordonedNodes() {
      return java.util.Set.of();
    }

    @Override
    public Map<Class<? extends HasMetadata>, List<HasMetadata>> ownedBy(
        String namespace, String name) {
      Secret token = caSecret;
      Map<Class<? extends HasMetadata>, List<HasMetadata>> owned = new HashMap<>();
      owned.put(Pod.class, List.copyOf(pods.values()));
      owned.put(Secret.class, List.of(token));
      return owned;
    }
  }

  private BackupInformers informers;
  private ScriptedAgent agent;
  private Cache cache;
  private ActorRef<BackupActor.Command> actor;

  @BeforeAll
  static void crds() throws Exception {
    for (String file :
        List.of("redisbackups.redis.io-v1.yml", "redisscheduledbackups.redis.io-v1.yml")) {
      try (InputStream in = RedisBackup.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().load(in).item();
        if (client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crd.getMetadata().getName())
                .get()
            == null) {
          client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
      }
    }
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clean() {
    client.resources(RedisBackup.class).inNamespace(NS).delete();
    agent = new ScriptedAgent();
    cache = new Cache();
  }

  private static io.redisoperator.controller.leader.Leadership leading() {
    io.redisoperator.controller.leader.Leadership leadership =
        new io.redisoperator.controller.leader.Leadership();
    leadership.grant();
    return leadership;
  }

  /** The operator starting (or restarting) with what the API server holds now. */
  void startOperator() throws Exception {
    informers = new BackupInformers(client, List.of(NS));
    BackupDeps deps =
        new BackupDeps(
            informers,
            cache,
            new KubeGateway(
                client, Executors.newFixedThreadPool(2), new OperatorMetrics(), "test", leading()),
            agent,
            null,
            new BackupMetrics(new OperatorMetrics().registry()),
            Clock.systemUTC(),
            Duration.ofMillis(100),
            Duration.ofSeconds(30));
    actor = testKit.spawn(BackupActor.create(deps));
    informers.start(() -> actor.tell(BackupActor.Changed.INSTANCE), () -> {}, 10_000);
  }

  @AfterEach
  void stop() {
    if (actor != null) {
      testKit.stop(actor);
      informers.close();
      actor = null;
    }
  }

  @Test
  void pendingBackupRunsOnTheLeastLaggingReplicaAndCompletes() throws Exception {
    startOperator();
    client.resource(backup("b1")).create();
    RedisBackup running = awaitBackup("b1", b -> phase(b) == BackupPhase.RUNNING);
    assertEquals("cache-2", running.getStatus().getInstance());
    assertTrue(
        running.getStatus().getLocation().startsWith("s3://backups/bk/cache/b1-"),
        running.getStatus().getLocation());
    await("one backup started on the agent")
        .atMost(Duration.ofSeconds(10))
        .until(() -> agent.started.size() == 1);
    assertTrue(agent.started.peek().startsWith("10.0.0.3 "), agent.started.peek());
    BackupProgress p = agent.progress.get();
    agent.progress.set(
        new BackupProgress(
            p.backupId(),
            p.method(),
            BackupProgress.State.COMPLETED,
            p.location(),
            42,
            42L,
            "ab".repeat(32),
            0,
            1000L,
            null));
    RedisBackup done = awaitBackup("b1", b -> phase(b) == BackupPhase.COMPLETED);
    assertEquals(42L, done.getStatus().getSizeBytes());
    assertEquals("ab".repeat(32), done.getStatus().getSha256());
  }

  @Test
  void aStartTheAgentRefusedIsRetriedNotFailed() throws Exception {
    agent.refusals.set(1);
    startOperator();
    client.resource(backup("b4")).create();
    await("the refused start retried and the backup started on the agent")
        .atMost(Duration.ofSeconds(20))
        .until(() -> agent.started.size() == 1);
    RedisBackup b = client.resources(RedisBackup.class).inNamespace(NS).withName("b4").get();
    assertNotEquals(BackupPhase.FAILED, phase(b), String.valueOf(b.getStatus()));
  }

  @Test
  void aRunningBackupWhosePodIsGoneEndsFailed() throws Exception {
    startOperator();
    client.resource(backup("b2")).create();
    RedisBackup running = awaitBackup("b2", b -> phase(b) == BackupPhase.RUNNING);
    cache.pods.remove(running.getStatus().getInstance());
    RedisBackup failed = awaitBackup("b2", b -> phase(b) == BackupPhase.FAILED);
    assertTrue(failed.getStatus().getError().contains("deleted"), failed.getStatus().getError());
  }

  @Test
  void aRunningBackupTheAgentDoesNotKnowEndsFailedAfterARestart() throws Exception {
    RedisBackup b = client.resource(backup("b3")).create();
    RedisBackupStatus s = new RedisBackupStatus();
    s.setPhase(BackupPhase.RUNNING);
    s.setInstance("cache-1");
    s.setBackupId("b3-lost");
    b.setStatus(s);
    client.resource(b).updateStatus();
    startOperator();
    RedisBackup failed = awaitBackup("b3", x -> phase(x) == BackupPhase.FAILED);
    assertTrue(
        failed.getStatus().getError().contains("interrupted"), failed.getStatus().getError());
    assertEquals(0, agent.started.size(), "never started again behind the status' back");
  }

  private static RedisBackup backup(String name) {
    RedisBackup b = new RedisBackup();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(NS);
    b.getSpec().setCluster(new ClusterReference("cache"));
    b.getSpec().setDestination(new ObjectStore("backups", null, null, null, true));
    return b;
  }

  private static BackupPhase phase(RedisBackup b) {
    return b.getStatus() == null ? null : b.getStatus().getPhase();
  }

  private static RedisBackup awaitBackup(
      String name, java.util.function.Predicate<RedisBackup> condition) {
    return client
        .resources(RedisBackup.class)
        .inNamespace(NS)
        .withName(name)
        .waitUntilCondition(b -> b != null && condition.test(b), 20, TimeUnit.SECONDS);
  }
}
