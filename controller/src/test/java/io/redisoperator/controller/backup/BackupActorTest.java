package io.redisoperator.controller.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.kube.OwnedCache;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.ClusterReference;
import io.redisoperator.protocol.crd.ObjectStore;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisBackupStatus;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.crd.BackupDeletionPolicy;
import io.redisoperator.protocol.crd.BackupSpec;
import io.redisoperator.protocol.crd.SecretReference;
import java.io.InputStream;
import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
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
 * The RedisBackup actor against the fabric8 CRUD mock with a scripted agent: Pending to Running on the chosen replica
 * to Completed, and the two ways a Running backup ends Failed without its agent saying so (its pod is gone, or an
 * operator restart finds a backup the agent does not know).
 */
@EnableKubernetesMockClient(crud = true)
class BackupActorTest {
  static KubernetesClient client;
  static final ActorTestKit testKit = ActorTestKit.create();
  static final String NS = "bk";

  /** An agent whose backup answers the test sets. */
  static final class ScriptedAgent implements AgentClient {
    final ConcurrentLinkedQueue<String> started = new ConcurrentLinkedQueue<>();
    final AtomicReference<BackupProgress> progress = new AtomicReference<>();

    @Override
    public CompletionStage<BackupProgress> startBackup(AgentEndpoint endpoint, BackupRequest request) {
      started.add(endpoint.ip() + " " + request.backupId() + " " + request.location().key());
      BackupProgress p = new BackupProgress(request.backupId(), request.method(), BackupProgress.State.RUNNING,
          request.location().uri(), 0, null, null, 0, null, null);
      progress.compareAndSet(null, p);
      return CompletableFuture.completedFuture(p);
    }

    @Override
    public CompletionStage<BackupProgress> backupProgress(AgentEndpoint endpoint) {
      BackupProgress p = progress.get();
      return p == null
          ? CompletableFuture.failedFuture(new AgentCallException(PollFailure.HTTP_ERROR, 404, null, "none", null))
          : CompletableFuture.completedFuture(p);
    }

    @Override
    public CompletionStage<InstanceStatus> status(AgentEndpoint endpoint, Duration timeout) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<OperationResult> promote(AgentEndpoint endpoint, PromoteRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<OperationResult> replicate(AgentEndpoint endpoint, ReplicateRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<OperationResult> fence(AgentEndpoint endpoint, FenceRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<OperationResult> unfence(AgentEndpoint endpoint) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<SwitchoverResult> switchover(AgentEndpoint endpoint, SwitchoverRequest request) {
      throw new UnsupportedOperationException();
    }
  }

  /** The cluster and its pods as the informers would hold them. */
  static final class Cache implements OwnedCache {
    final RedisCluster cluster = BackupPlannersTest.cluster(Phase.HEALTHY);
    final Map<String, Pod> pods = new java.util.concurrent.ConcurrentHashMap<>();
    /** The cluster's agent CA, from which the controller derives its client certificate for the agents. */
    final Secret agentCa;

    Cache() {
      agentCa = io.redisoperator.controller.resources.AgentCertificates.caSecret(cluster, java.time.Instant.now());
      cluster.getMetadata().setNamespace(NS);
      for (var e : cluster.getStatus().getInstancesStatus().entrySet()) {
        pods.put(e.getKey(), new PodBuilder().withNewMetadata().withName(e.getKey()).withNamespace(NS).endMetadata()
            .withNewStatus().withPodIP(e.getValue().getPodIP()).endStatus().build());
      }
    }

    @Override
    public Optional<RedisCluster> cluster(String namespace, String name) {
      return name.equals("cache") ? Optional.of(cluster) : Optional.empty();
    }

    @Override
    public Map<Class<? extends HasMetadata>, List<HasMetadata>> ownedBy(String namespace, String name) {
      Secret token = agentCa;
      Map<Class<? extends HasMetadata>, List<HasMetadata>> owned = new HashMap<>();
      owned.put(Pod.class, List.copyOf(pods.values()));
      owned.put(Secret.class, List.of(token));
      return owned;
    }
  }

  private BackupInformers informers;
  private StoreObjects store;
  private ScriptedAgent agent;
  private Cache cache;
  private ActorRef<BackupActor.Command> actor;

  @BeforeAll
  static void crds() throws Exception {
    for (String file : List.of("redisbackups.redis.io-v1.yml", "redisscheduledbackups.redis.io-v1.yml")) {
      try (InputStream in = RedisBackup.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
        if (client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get() == null) {
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

  /** The operator starting (or restarting) with what the API server holds now. */
  void startOperator() throws Exception {
    informers = new BackupInformers(client, List.of(NS));
    io.redisoperator.controller.leader.Leadership leadership = new io.redisoperator.controller.leader.Leadership();
    leadership.grant();
    KubeGateway kube = new KubeGateway(client, Executors.newFixedThreadPool(2), new OperatorMetrics(), "test", leadership);
    store = new StoreObjects(kube, Executors.newSingleThreadExecutor());
    BackupDeps deps =
        new BackupDeps(informers, cache, kube, agent, store, new BackupMetrics(new OperatorMetrics().registry()), Clock.systemUTC(), Duration.ofMillis(100),
            Duration.ofSeconds(30));
    actor = testKit.spawn(BackupActor.create(deps));
    informers.start(() -> actor.tell(BackupActor.Changed.INSTANCE), () -> { }, 10_000);
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
    RedisBackup running = await("b1", b -> phase(b) == BackupPhase.RUNNING);
    assertEquals("cache-2", running.getStatus().getInstance());
    assertTrue(running.getStatus().getLocation().startsWith("s3://backups/bk/cache/b1-"), running.getStatus().getLocation());
    awaitTrue(() -> agent.started.size() == 1);
    assertTrue(agent.started.peek().startsWith("10.0.0.3 "), agent.started.peek());
    BackupProgress p = agent.progress.get();
    agent.progress.set(new BackupProgress(p.backupId(), p.method(), BackupProgress.State.COMPLETED, p.location(), 42,
        42L, "ab".repeat(32), 0, 1000L, null));
    RedisBackup done = await("b1", b -> phase(b) == BackupPhase.COMPLETED);
    assertEquals(42L, done.getStatus().getSizeBytes());
    assertEquals("ab".repeat(32), done.getStatus().getSha256());
  }

  @Test
  void aRunningBackupWhosePodIsGoneEndsFailed() throws Exception {
    startOperator();
    client.resource(backup("b2")).create();
    RedisBackup running = await("b2", b -> phase(b) == BackupPhase.RUNNING);
    cache.pods.remove(running.getStatus().getInstance());
    RedisBackup failed = await("b2", b -> phase(b) == BackupPhase.FAILED);
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
    RedisBackup failed = await("b3", x -> phase(x) == BackupPhase.FAILED);
    assertTrue(failed.getStatus().getError().contains("interrupted"), failed.getStatus().getError());
    assertEquals(0, agent.started.size(), "never started again behind the status' back");
  }

  @Test
  void deletionPolicyDeleteRemovesTheObjectAndManifestBeforeTheBackupGoes() throws Exception {
    Properties props = new Properties();
    S3Proxy proxy = S3Proxy.builder().blobStore(BlobStores.create("transient", props))
        .endpoint(URI.create("http://127.0.0.1:0")).awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "ak", "sk").build();
    proxy.start();
    try {
      awaitTrue(() -> "STARTED".equals(proxy.getState()));
      String endpoint = "http://127.0.0.1:" + proxy.getPort();
      try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("ak", "sk")))
          .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
        s3.createBucket(b -> b.bucket("backups"));
        s3.putObject(b -> b.bucket("backups").key("bk/cache/b4.rdb"), RequestBody.fromString("rdb"));
        s3.putObject(b -> b.bucket("backups").key("bk/cache/b4.rdb.json"), RequestBody.fromString("{}"));
        client.resource(new SecretBuilder().withNewMetadata().withName("s3-creds").withNamespace(NS).endMetadata()
            .withData(Map.of(InstanceLayout.BACKUP_KEY_ACCESS_KEY_ID, Base64.getEncoder().encodeToString("ak".getBytes()),
                InstanceLayout.BACKUP_KEY_SECRET_ACCESS_KEY, Base64.getEncoder().encodeToString("sk".getBytes())))
            .build()).createOr(op -> op.update());
        cache.cluster.getSpec().setBackup(new BackupSpec(new SecretReference("s3-creds")));

        RedisBackup b = backup("b4");
        b.getSpec().setDestination(new ObjectStore("backups", null, endpoint, null, true));
        b.getSpec().setDeletionPolicy(BackupDeletionPolicy.DELETE);
        b = client.resource(b).create();
        RedisBackupStatus status = new RedisBackupStatus();
        status.setPhase(BackupPhase.COMPLETED);
        status.setObjectKey("bk/cache/b4.rdb");
        b.setStatus(status);
        client.resource(b).updateStatus();
        startOperator();
        await("b4", x -> x.getMetadata().getFinalizers() != null && x.getMetadata().getFinalizers().contains(BackupActor.FINALIZER));
        client.resources(RedisBackup.class).inNamespace(NS).withName("b4").delete();
        // The finalizer is released once the object is gone (a real API server then removes the RedisBackup; the
        // CRUD mock keeps it with its deletion timestamp).
        client.resources(RedisBackup.class).inNamespace(NS).withName("b4").waitUntilCondition(
            x -> x == null || x.getMetadata().getFinalizers() == null || !x.getMetadata().getFinalizers().contains(BackupActor.FINALIZER),
            20, TimeUnit.SECONDS);
        assertEquals(List.of(), s3.listObjectsV2(r -> r.bucket("backups")).contents(), "object and manifest deleted");
      }
    } finally {
      proxy.stop();
    }
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

  private static RedisBackup await(String name, java.util.function.Predicate<RedisBackup> condition) {
    return client.resources(RedisBackup.class).inNamespace(NS).withName(name)
        .waitUntilCondition(b -> b != null && condition.test(b), 20, TimeUnit.SECONDS);
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached");
      }
      Thread.onSpinWait();
    }
  }
}
