package io.redisoperator.agent;

import io.redisoperator.agent.acl.AclSync;
import io.redisoperator.agent.acl.LegacyPeerUsers;
import io.redisoperator.agent.backup.BackupException;
import io.redisoperator.agent.backup.BackupService;
import io.redisoperator.agent.backup.RedisFileNames;
import io.redisoperator.agent.backup.RestoreService;
import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.config.RedisConfRenderer;
import io.redisoperator.agent.config.RedisTlsFiles;
import io.redisoperator.agent.config.SettingsCheck;
import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.agent.fencing.IsolationPause;
import io.redisoperator.agent.http.AgentRoutes;
import io.redisoperator.agent.http.AgentServerTls;
import io.redisoperator.agent.http.ReplicationSources;
import io.redisoperator.agent.instance.InstanceActor;
import io.redisoperator.agent.instance.InstanceOperations;
import io.redisoperator.agent.instance.InstanceState;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.kube.KubeClusterReader;
import io.redisoperator.agent.metrics.AgentMetrics;
import io.redisoperator.agent.redis.InfoPoller;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.redis.RedisSupervisorActor;
import io.redisoperator.agent.runtime.AgentRuntime;
import io.redisoperator.agent.secrets.ProjectedFileWatcher;
import io.redisoperator.agent.secrets.ProjectedFiles;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.agent.secrets.RedisTlsRotation;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.ResourceNames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: wires the pieces together, starts Redis and the HTTP API, and stops them all on
 * close.
 */
public final class InstanceAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InstanceAgent.class);

  private final AgentSettings settings;
  private final AgentRuntime runtime;
  private final ActorRef<RedisSupervisorActor.Command> supervisor;
  private final InfoPoller poller;
  private final IsolationPause isolationPause;
  private final RedisCommands heartbeat;
  private final ProjectedFileWatcher watcher;
  private final RedisCommands redis;
  private final ClusterReader reader;
  private final BackupService backups;
  private final AclSync acl;

  private InstanceAgent(
      AgentSettings settings,
      AgentRuntime runtime,
      ActorRef<RedisSupervisorActor.Command> supervisor,
      InfoPoller poller,
      IsolationPause isolationPause,
      RedisCommands heartbeat,
      ProjectedFileWatcher watcher,
      RedisCommands redis,
      ClusterReader reader,
      BackupService backups,
      AclSync acl) {
    this.isolationPause = isolationPause;
    this.heartbeat = heartbeat;
    this.settings = settings;
    this.acl = acl;
    this.backups = backups;
    this.runtime = runtime;
    this.supervisor = supervisor;
    this.poller = poller;
    this.watcher = watcher;
    this.redis = redis;
    this.reader = reader;
  }

  /** Starts the agent with a Kubernetes client from the usual auto-configuration. */
  public static InstanceAgent start(AgentSettings settings) throws IOException {
    return start(settings, KubeClusterReader.forAgent(settings));
  }

  public static InstanceAgent start(AgentSettings settings, ClusterReader reader)
      throws IOException {
    AgentRuntime runtime = AgentRuntime.start(settings, "redis-agent");
    // The replication user's password goes into redis.conf (masterauth); the agent's own is only
    // ever in memory.
    Optional<ProjectedValue> password =
        ProjectedFiles.read(settings.authDir(), InstanceLayout.AUTH_KEY_REPLICATION);
    Optional<ProjectedValue> agentPassword =
        ProjectedFiles.read(settings.authDir(), InstanceLayout.AUTH_KEY_AGENT);
    AgentServerTls tls = new AgentServerTls(settings.agentTlsDir());
    Optional<ProjectedValue> settingsFile =
        ProjectedFiles.read(settings.configDir(), InstanceLayout.CONFIG_KEY_SETTINGS);
    if (password.isEmpty() || agentPassword.isEmpty()) {
      log.error(
          "no operator passwords at {}: Redis will not start until they appear",
          settings.authDir());
    }
    InstanceSettings initialSettings =
        settingsFile
            .flatMap(InstanceAgent::parseSettings)
            .orElse(new InstanceSettings(Map.of(), null, null));
    InstanceState initial =
        new InstanceState(
            previousReplicaOf(settings.confFile()),
            true,
            FenceMarker.load(settings.dataDir()).orElse(null),
            initialSettings,
            password.orElse(null),
            tls.version().orElse(null));
    if (initial.fence() != null) {
      log.warn("fence marker found: starting fenced ({})", initial.fence().reason());
    }

    AtomicReference<String> redisPassword =
        new AtomicReference<>(agentPassword.map(ProjectedValue::value).orElse(""));
    // The agent's one time source: contacts, deadlines and fence markers are all measured on it.
    // Monotonic: self-fencing measures time since the last contact, which a wall-clock step must
    // not move.
    io.redisoperator.protocol.agent.MonotonicClock clock =
        io.redisoperator.protocol.agent.MonotonicClock.system();
    StatusBoard board = new StatusBoard(settings.podName(), clock);
    // TLS is fixed for the life of the pod: turning it on or off replaces the pod (its spec
    // changes).
    boolean redisTls = initialSettings.tlsEnabled();
    RedisCommands redis =
        new RedisCommands(
            settings.podIp(),
            settings.redisPort(),
            OperatorUsers.AGENT,
            redisPassword::get,
            settings.redisTimeout(),
            settings.podIp(),
            redisTls ? RedisTlsFiles.caFile(settings.redisTlsDir()) : null);
    AclSync acl =
        new AclSync(settings.aclDir(), settings.aclFile(), redis, settings.redisTimeout());
    board.aclStatusFrom(acl::status);
    int ordinal = ResourceNames.ordinalOf(settings.clusterName(), settings.podName()).orElse(-1);
    InstanceOperations ops =
        new InstanceOperations(
            new InstanceOperations.Layout(
                settings.podName(),
                ordinal,
                settings.podIp(),
                settings.redisPort(),
                settings.dataDir(),
                settings.confFile(),
                settings.redisTlsDir()),
            redis,
            board,
            redisPassword,
            runtime.blocking(),
            clock);

    BackupService backups =
        new BackupService(
            settings.backupCredentialsDir(), redis, settings.podName(), Clock.systemUTC());
    board.backupProgressFrom(() -> backups.latest().orElse(null));
    AtomicReference<InstanceSettings> currentSettings = new AtomicReference<>(initial.settings());
    RestoreService restore =
        new RestoreService(
            settings.restoreDir(),
            settings.backupCredentialsDir(),
            settings.dataDir(),
            settings.podName(),
            ordinal,
            () -> RedisFileNames.of(currentSettings.get()),
            backups::recordRestore,
            Clock.systemUTC());

    ActorSystem<Void> system = runtime.system();
    ActorRef<InstanceActor.Command> instance =
        runtime.spawn(
            InstanceActor.Command.class,
            InstanceActor.create(ops, reader, board, initial, settings.operationTimeout()),
            "instance");
    RedisSupervisorActor.Settings supervision =
        new RedisSupervisorActor.Settings(
            settings.redisServer(),
            settings.shutdownGrace(),
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            () ->
                restoreThenPrepare(
                        restore,
                        reader,
                        runtime.blocking(),
                        () -> prepare(system, instance, settings))
                    .thenApplyAsync(conf -> withAclFile(settings, conf), runtime.blocking()),
            runtime.blocking());
    ActorRef<RedisSupervisorActor.Command> supervisor =
        runtime.spawn(
            RedisSupervisorActor.Command.class,
            RedisSupervisorActor.create(supervision, board),
            "redis-supervisor");

    ProjectedFileWatcher watcher = new ProjectedFileWatcher(settings.filePollInterval());
    watcher.watch(
        settings.authDir(),
        InstanceLayout.AUTH_KEY_AGENT,
        agentPassword,
        v -> {
          // The controller keeps the old password valid until every pod has the new one: reconnect
          // with the new.
          redisPassword.set(v.value());
          supervisor.tell(RedisSupervisorActor.Start.INSTANCE);
        });
    watcher.watch(
        settings.authDir(),
        InstanceLayout.AUTH_KEY_REPLICATION,
        password,
        v -> {
          instance.tell(new InstanceActor.PasswordChanged(v));
          // A pod that booted before its Secret was projected starts Redis now.
          supervisor.tell(RedisSupervisorActor.Start.INSTANCE);
        });
    // The Secret's three keys change together; any of them changing reloads all three.
    for (String key :
        List.of(
            InstanceLayout.SECRET_KEY_TLS_CERT,
            InstanceLayout.SECRET_KEY_TLS_KEY,
            InstanceLayout.SECRET_KEY_CA_CERT)) {
      watcher.watch(
          settings.agentTlsDir(),
          key,
          ProjectedFiles.read(settings.agentTlsDir(), key),
          v ->
              tls.reload()
                  .ifPresent(version -> instance.tell(new InstanceActor.AgentTlsChanged(version))));
    }
    if (redisTls) {
      RedisTlsRotation.watch(watcher, settings.redisTlsDir(), redis);
    }
    watcher.watch(
        settings.configDir(),
        InstanceLayout.CONFIG_KEY_SETTINGS,
        settingsFile,
        v ->
            parseSettings(v)
                .ifPresent(
                    s -> {
                      currentSettings.set(s);
                      instance.tell(new InstanceActor.SettingsChanged(s));
                    }));

    acl.start(settings.filePollInterval());
    InfoPoller poller = new InfoPoller(redis, board, settings.statusInterval());
    RedisCommands heartbeat =
        new RedisCommands(
            settings.podIp(),
            settings.redisPort(),
            OperatorUsers.AGENT,
            redisPassword::get,
            settings.redisTimeout(),
            settings.podIp(),
            redisTls ? RedisTlsFiles.caFile(settings.redisTlsDir()) : null);
    IsolationPause isolationPause = new IsolationPause(heartbeat, redis, board);
    AgentMetrics metrics =
        new AgentMetrics(board, settings.namespace(), settings.clusterName(), settings.podName());
    AgentRoutes routes =
        new AgentRoutes(
            system,
            instance,
            board,
            backups,
            metrics,
            new AgentRoutes.Settings(
                settings.podIp(),
                settings.redisPort(),
                settings.operationTimeout(),
                settings.readyMaxReplicaLagSeconds(),
                settings.clusterName()),
            ReplicationSources.of(reader),
            new LegacyPeerUsers(
                settings.aclDir(),
                settings.authDir(),
                LegacyPeerUsers.connector(
                    settings.podIp(),
                    settings.redisTimeout(),
                    redisTls ? RedisTlsFiles.caFile(settings.redisTlsDir()) : null)));
    List<String> httpAddresses = new ArrayList<>(List.of(settings.podIp()));
    if (!settings.podIp().startsWith("127.")) {
      httpAddresses.add("127.0.0.1");
    }
    // Redis is started right below: from the first status answer on, "not running" must never be
    // said of a Redis
    // that is about to run (the controller takes it as proof of death).
    board.recordRedisStarting(null);
    try {
      runtime.serveHttps(httpAddresses, settings.httpPort(), routes.api(), tls.connectionContext());
      runtime.serveHttp(httpAddresses, settings.probePort(), routes.probes());
    } catch (IOException e) {
      acl.close();
      poller.close();
      isolationPause.close();
      heartbeat.close();
      watcher.close();
      redis.close();
      throw e;
    }
    supervisor.tell(RedisSupervisorActor.Start.INSTANCE);
    return new InstanceAgent(
        settings,
        runtime,
        supervisor,
        poller,
        isolationPause,
        heartbeat,
        watcher,
        redis,
        reader,
        backups,
        acl);
  }

  /**
   * Before every start of a pod that mounts a restore source: restore the bootstrap backup when it
   * is due (on the blocking pool: it may take minutes), then prepare the conf as usual. A failed or
   * pending restore fails the start, which the supervisor retries with backoff: Redis never starts
   * empty in its place.
   */
  private static CompletionStage<Path> restoreThenPrepare(
      RestoreService restore,
      ClusterReader reader,
      Executor blocking,
      java.util.function.Supplier<CompletionStage<Path>> prepare) {
    if (!restore.configured()) {
      return prepare.get();
    }
    return reader
        .read()
        .handle((view, e) -> e == null ? Optional.of(view) : Optional.<ClusterView>empty())
        .thenApplyAsync(
            view -> {
              try {
                restore.ensureRestored(view);
                return view;
              } catch (BackupException e) {
                throw new CompletionException(e);
              }
            },
            blocking)
        .thenCompose(ignored -> prepare.get());
  }

  private static CompletionStage<Path> prepare(
      ActorSystem<Void> system, ActorRef<InstanceActor.Command> instance, AgentSettings settings) {
    return AskPattern.askWithStatus(
        instance,
        InstanceActor.PrepareStart::new,
        settings.kubeTimeout().multipliedBy(3).plus(settings.operationTimeout()),
        system.scheduler());
  }

  /**
   * Redis refuses to start without its ACL file: a new data volume gets one with the operator's
   * users.
   */
  private static Path withAclFile(AgentSettings settings, Path conf) {
    try {
      AclSync.ensureFile(settings.aclDir(), settings.aclFile());
      return conf;
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  private static Endpoint previousReplicaOf(Path conf) {
    try {
      return java.nio.file.Files.exists(conf)
          ? RedisConfRenderer.replicaOfIn(java.nio.file.Files.readString(conf)).orElse(null)
          : null;
    } catch (IOException e) {
      log.warn("cannot read the previous {}: {}", conf, e.toString());
      return null;
    }
  }

  private static Optional<InstanceSettings> parseSettings(ProjectedValue value) {
    try {
      InstanceSettings s = Json.contract().readValue(value.value(), InstanceSettings.class);
      List<String> problems = SettingsCheck.problems(s);
      if (!problems.isEmpty()) {
        log.error("settings version {} rejected: {}", value.version(), String.join("; ", problems));
        return Optional.empty();
      }
      return Optional.of(s);
    } catch (IOException e) {
      log.error("settings version {} is not valid JSON: {}", value.version(), e.getMessage());
      return Optional.empty();
    }
  }

  public AgentSettings settings() {
    return settings;
  }

  /**
   * Stops redis-server first (gracefully, within the shutdown grace), then the HTTP API, then
   * everything else. The order is a safety rule: the controller takes a refused agent port on a
   * terminating pod as proof that its processes are gone, so the port must keep answering
   * (reporting the process running, then exited) until Redis is down.
   */
  @Override
  public void close() {
    runtime.stopSupervised(supervisor, "redis-server");
    runtime.stopHttp();
    backups.close();
    acl.close();
    poller.close();
    isolationPause.close();
    heartbeat.close();
    watcher.close();
    redis.close();
    reader.close();
    runtime.close();
  }
}
