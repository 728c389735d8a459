package io.redisoperator.controller;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.agent.HttpAgentClient;
import io.redisoperator.controller.agent.LeaderOnlyAgentClient;
import io.redisoperator.controller.backup.BackupActor;
import io.redisoperator.controller.backup.BackupDeps;
import io.redisoperator.controller.backup.BackupInformers;
import io.redisoperator.controller.backup.BackupMetrics;
import io.redisoperator.controller.backup.BootstrapActor;
import io.redisoperator.controller.backup.ScheduleActor;
import io.redisoperator.controller.backup.StoreObjects;
import io.redisoperator.controller.cluster.ClusterDeps;
import io.redisoperator.controller.cluster.ClusterRegistryActor;
import io.redisoperator.controller.config.OperatorSettings;
import io.redisoperator.controller.kube.ApiExecutor;
import io.redisoperator.controller.kube.InformerHub;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.kube.ResourceListener;
import io.redisoperator.controller.kube.SyncGate;
import io.redisoperator.controller.leader.CachesBeforeLease;
import io.redisoperator.controller.leader.LeaderElection;
import io.redisoperator.controller.leader.Leadership;
import io.redisoperator.controller.leader.PauseWatchdog;
import io.redisoperator.controller.metrics.HttpEndpoints;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.reconcile.ReconcilePlanner;
import io.redisoperator.protocol.crd.RedisCluster;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running controller-manager: the actor system, the metrics/health endpoint, the informers
 * (from the start, leading or not) and, while leading, the actors they feed, one per RedisCluster.
 * Everything is closed in reverse order by {@link #close()}.
 */
public final class Operator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Operator.class);

  private final OperatorSettings settings;
  private final KubernetesClient client;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final OperatorMetrics metrics = new OperatorMetrics(leading::get);
  private final ActorSystem<Void> system;
  private final ThreadPoolExecutor apiExecutor;
  private final KubeGateway kube;
  private final HttpAgentClient agentHttp;
  private final AgentClient agents;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  /**
   * Checked by every API write and agent operation: revoked, nothing more is sent (see {@link
   * Leadership}).
   */
  private final Leadership leadership = new Leadership();

  private PauseWatchdog watchdog;

  /**
   * The caches, started with the process whether it leads or not (see {@link CachesBeforeLease}):
   * their events reach nothing until {@link #startActing} has created the actors and opened the
   * gate.
   */
  private final InformerHub informers;

  private final BackupInformers backupInformers;
  private final SyncGate gate;
  private final CachesBeforeLease caches;

  /** What acts; null until leading with synced caches. */
  private volatile Actors actors;

  private LeaderElection election;
  private final java.util.List<ServerBinding> bindings =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private Operator(OperatorSettings settings, KubernetesClient client) {
    this.settings = settings;
    this.client = client;
    this.system = ActorSystem.create(Behaviors.empty(), "redis-operator", actorConfig());
    this.apiExecutor = ApiExecutor.create(settings.apiThreads());
    this.kube = new KubeGateway(client, apiExecutor, metrics, settings.identity(), leadership);
    this.agentHttp = new HttpAgentClient(settings.agentPort(), leadership::epoch);
    this.agents = new LeaderOnlyAgentClient(agentHttp, leadership);
    this.informers = new InformerHub(client, settings.namespaces(), null);
    this.backupInformers = new BackupInformers(client, settings.namespaces());
    // Nothing reaches the actors before every cache has synced and this process leads (see
    // SyncGate): the gate is opened by startActing, after the actors exist.
    this.gate = new SyncGate(new ToActors());
    informers.listener(gate);
    this.caches = new CachesBeforeLease(this::startCaches, CACHE_SYNC_TIMEOUT);
  }

  /** How long a new leader waits for its caches, counted from the Lease. */
  private static final Duration CACHE_SYNC_TIMEOUT = Duration.ofSeconds(60);

  /** The actors the informers' events go to, once leading. */
  private record Actors(
      ActorRef<ClusterRegistryActor.Command> registry,
      ActorRef<BackupActor.Command> backups,
      ActorRef<ScheduleActor.Command> schedules,
      ActorRef<BootstrapActor.Command> bootstraps) {}

  /** Informer events, passed on by the gate only once it is open, so {@link #actors} is set. */
  private final class ToActors implements ResourceListener {
    @Override
    public void clusterChanged(RedisCluster cluster) {
      Actors to = actors;
      to.registry().tell(new ClusterRegistryActor.ClusterChanged(cluster));
      to.bootstraps().tell(new BootstrapActor.ClusterSeen(cluster));
      to.backups().tell(BackupActor.Changed.INSTANCE);
    }

    @Override
    public void clusterDeleted(String namespace, String name) {
      Actors to = actors;
      to.registry().tell(new ClusterRegistryActor.ClusterDeleted(namespace, name));
      to.bootstraps().tell(new BootstrapActor.ClusterGone(namespace, name));
    }

    @Override
    public void ownedChanged(String namespace, String cluster) {
      actors.registry().tell(new ClusterRegistryActor.OwnedChanged(namespace, cluster));
    }

    @Override
    public void nodesChanged() {
      actors.registry().tell(ClusterRegistryActor.NodesChanged.INSTANCE);
    }
  }

  /** Starts every informer; completes once all their caches are filled. */
  private CompletableFuture<Void> startCaches() {
    return CompletableFuture.allOf(
        informers.startInformers(),
        backupInformers.startInformers(
            gate.gated(() -> actors.backups().tell(BackupActor.Changed.INSTANCE)),
            gate.gated(() -> actors.schedules().tell(ScheduleActor.Changed.INSTANCE))));
  }

  private static Config actorConfig() {
    return ConfigFactory.parseString(
            "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
                + "pekko.loglevel = INFO\n"
                + "pekko.coordinated-shutdown.exit-jvm = off\n"
                + "pekko.http.client.log-unencrypted-network-bytes = off\n"
                // As many dispatcher threads as cores (Pekko's default is at least 8): on a
                // controller with one or two cores the extra threads only took CPU from the agent
                // client's event loops while passes ran, so answers and TLS handshakes waited past
                // their overdue time and timeout (a restart at 100 clusters, docs/performance.md).
                + "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min = 2\n"
                + "pekko.actor.default-dispatcher.fork-join-executor.parallelism-factor = 1.0\n")
        .withFallback(ConfigFactory.load());
  }

  /** Starts serving /metrics and, directly or once elected, reconciling. */
  public static Operator start(OperatorSettings settings, KubernetesClient client)
      throws Exception {
    Operator operator = new Operator(settings, client);
    HttpEndpoints endpoints = new HttpEndpoints(operator.metrics, operator::ready);
    int port = settings.metricsPort();
    for (String host : settings.metricsHosts()) {
      // The first binding fixes the port (an ephemeral one included); the other addresses share it.
      ServerBinding bound =
          endpoints
              .bind(operator.system, host, port)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      operator.bindings.add(bound);
      port = bound.localAddress().getPort();
      LOG.info("metrics and probes on {}", bound.localAddress());
    }
    if (settings.leaderElect()) {
      // The informers list and watch while the Lease is awaited (a crashed leader's runs out
      // first) or held by another replica: a controller that comes to lead has its caches filled.
      operator
          .caches
          .startCaches()
          .whenComplete(
              (synced, failed) -> {
                if (failed != null && !operator.leading.get()) {
                  LOG.error("could not fill the caches while standing by: {}", failed.toString());
                  operator.exit.complete(1);
                }
              });
      operator.election = new LeaderElection(client, settings);
      operator.election.start(
          operator::startReconcilingSafely, () -> operator.depose("lease lost"));
      // A paused process (SIGSTOP, a frozen VM) may have lost its lease without its elector knowing
      // yet.
      operator.watchdog =
          new PauseWatchdog(
                  System::nanoTime,
                  PauseWatchdog.maxPause(settings.leaseDuration(), settings.retryPeriod()),
                  pause ->
                      operator.depose(
                          "the process was paused for "
                              + pause.toMillis()
                              + " ms, longer than the lease"
                              + " is certain to outlive it"))
              .start();
    } else {
      operator.startReconciling();
    }
    return operator;
  }

  /**
   * Stops acting at once (every later write and agent operation fails), then exits to stand by
   * again.
   */
  private void depose(String why) {
    leadership.revoke(why);
    LOG.warn("no longer acting: {}", why);
    exit.complete(1);
  }

  private void startReconcilingSafely() {
    try {
      leadership.grant(leaseEpoch());
      startReconciling();
    } catch (Exception e) {
      LOG.error("could not start reconciling: {}", e.toString());
      exit.complete(1);
    }
  }

  /**
   * The epoch of the lease just acquired: its {@code leaseTransitions}, which grows with every
   * change of holder, so a deposed controller's operations carry a lower one than its successor's
   * and agents refuse them.
   */
  private long leaseEpoch() {
    var lease =
        client.leases().inNamespace(settings.leaseNamespace()).withName(settings.leaseName()).get();
    if (lease == null
        || lease.getSpec() == null
        || !settings.identity().equals(lease.getSpec().getHolderIdentity())) {
      throw new IllegalStateException(
          "the lease is not held by " + settings.identity() + " any more");
    }
    Integer transitions = lease.getSpec().getLeaseTransitions();
    return transitions == null ? 0 : transitions;
  }

  private void startReconciling() throws Exception {
    if (!leading.compareAndSet(false, true)) {
      return;
    }
    leadership.grant();
    caches.lead(this::startActing);
  }

  /**
   * Leading, with every cache filled: creates the actors and opens the gate, which announces every
   * cached cluster (each one's first pass).
   */
  private void startActing() {
    ClusterDeps deps =
        new ClusterDeps(
            informers,
            kube,
            agents,
            metrics,
            ReconcilePlanner.standard(),
            // Monotonic: the promotion gate compares instants, which a wall-clock step must not
            // move.
            io.redisoperator.protocol.agent.MonotonicClock.system(),
            settings.resyncInterval(),
            settings.agentOpCooldown(),
            settings.operatorImage(),
            new io.redisoperator.controller.pod.NewConnections(
                io.redisoperator.controller.pod.NewConnections.IN_FLIGHT, System::nanoTime),
            new io.redisoperator.controller.pod.AnswerPace(System::nanoTime));
    ActorRef<ClusterRegistryActor.Command> registry =
        system.systemActorOf(ClusterRegistryActor.create(deps), "clusters", Props.empty());
    BackupDeps backupDeps =
        new BackupDeps(
            backupInformers,
            informers,
            kube,
            agents,
            new StoreObjects(kube, apiExecutor),
            new BackupMetrics(metrics.registry()),
            Clock.systemUTC(),
            settings.backupPollInterval(),
            settings.backupAgentUnreachableLimit());
    ActorRef<BackupActor.Command> backupActor =
        system.systemActorOf(BackupActor.create(backupDeps), "backups", Props.empty());
    ActorRef<ScheduleActor.Command> scheduleActor =
        system.systemActorOf(ScheduleActor.create(backupDeps), "backup-schedules", Props.empty());
    ActorRef<BootstrapActor.Command> bootstrapActor =
        system.systemActorOf(BootstrapActor.create(backupDeps), "bootstraps", Props.empty());
    actors = new Actors(registry, backupActor, scheduleActor, bootstrapActor);
    gate.open(informers::clusters);
    backupActor.tell(BackupActor.Changed.INSTANCE);
    scheduleActor.tell(ScheduleActor.Changed.INSTANCE);
  }

  /**
   * Ready once reconciling with synced caches, or while standing by for the lease (filled caches or
   * not: a standby's readiness does not hold a rollout back).
   */
  public boolean ready() {
    return leading.get() ? actors != null && informers.synced() : settings.leaderElect();
  }

  /** Whether every informer's cache is filled, leading or standing by. */
  public boolean cachesSynced() {
    return caches.cachesSynced();
  }

  public boolean leading() {
    return leading.get();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public InetSocketAddress httpAddress() {
    return bindings.get(0).localAddress();
  }

  /** Completes with the process exit code when the operator must stop (lease lost). */
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public void close() {
    leadership.revoke("shutting down"); // nothing queued is sent while the rest winds down
    if (watchdog != null) {
      watchdog.close();
    }
    if (election != null) {
      election.stop();
    }
    informers.close();
    backupInformers.close();
    bindings.forEach(ServerBinding::unbind);
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("actor system did not stop in time: {}", e.toString());
    }
    agentHttp.close();
    apiExecutor.shutdownNow();
    exit.complete(0);
  }
}
