package io.redisoperator.agent;

import io.redisoperator.agent.acl.AclSync;
import io.redisoperator.agent.acl.LegacyPeerUsers;
import io.redisoperator.agent.backup.BackupService;
import io.redisoperator.agent.backup.RedisFileNames;
import io.redisoperator.agent.backup.RestoreService;
import io.redisoperator.agent.config.RedisTlsFiles;
import io.redisoperator.agent.fencing.IsolationPause;
import io.redisoperator.agent.http.AgentRoutes;
import io.redisoperator.agent.http.AgentServerTls;
import io.redisoperator.agent.http.ReplicationSources;
import io.redisoperator.agent.instance.InstanceActor;
import io.redisoperator.agent.instance.InstanceCommand;
import io.redisoperator.agent.instance.InstanceOperations;
import io.redisoperator.agent.instance.InstanceState;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.agent.kube.KubeClusterReader;
import io.redisoperator.agent.metrics.AgentMetrics;
import io.redisoperator.agent.redis.InfoPoller;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.redis.RedisSupervisorActor;
import io.redisoperator.agent.runtime.AgentRuntime;
import io.redisoperator.agent.secrets.ProjectedFileWatcher;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.agent.MonotonicClock;
import io.redisoperator.protocol.naming.ResourceNames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A running agent: wires the pieces together, starts Redis and the HTTP API, and stops them all on
 * close.
 */
public final class InstanceAgent implements AutoCloseable {

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
    AgentServerTls tls = new AgentServerTls(settings.dirs().agentTls());
    StartingInputs inputs = StartingInputs.read(settings, tls);
    InstanceState initial = inputs.initial();

    AtomicReference<String> redisPassword =
        new AtomicReference<>(inputs.agentPassword().map(ProjectedValue::value).orElse(""));
    // The agent's one time source: contacts, deadlines and fence markers are all measured on it.
    // Monotonic: self-fencing measures time since the last contact, which a wall-clock step must
    // not move.
    MonotonicClock clock = MonotonicClock.system();
    StatusBoard board = new StatusBoard(settings.pod().name(), clock);
    // TLS is fixed for the life of the pod: turning it on or off replaces the pod (its spec
    // changes).
    boolean redisTls = initial.settings().tlsEnabled();
    Path redisCa = redisTls ? RedisTlsFiles.caFile(settings.dirs().redisTls()) : null;
    RedisCommands redis = agentConnection(settings, redisPassword, redisCa);
    AclSync acl =
        new AclSync(
            settings.dirs().acl(),
            settings.dirs().aclFile(),
            redis,
            settings.timing().redisTimeout());
    board.aclStatusFrom(acl::status);
    int ordinal =
        ResourceNames.ordinalOf(settings.pod().clusterName(), settings.pod().name()).orElse(-1);
    InstanceOperations ops =
        new InstanceOperations(
            new InstanceOperations.Layout(
                settings.pod().name(),
                ordinal,
                settings.pod().ip(),
                settings.ports().redis(),
                settings.dirs().data(),
                settings.dirs().confFile(),
                settings.dirs().redisTls()),
            redis,
            board,
            redisPassword,
            runtime.blocking(),
            clock);

    BackupService backups =
        new BackupService(
            settings.dirs().backupCredentials(), redis, settings.pod().name(), Clock.systemUTC());
    board.backupProgressFrom(() -> backups.latest().orElse(null));
    AtomicReference<InstanceSettings> currentSettings = new AtomicReference<>(initial.settings());
    RestoreService restore =
        new RestoreService(
            settings.dirs().restore(),
            settings.dirs().backupCredentials(),
            settings.dirs().data(),
            settings.pod().name(),
            ordinal,
            () -> RedisFileNames.of(currentSettings.get()),
            backups::recordRestore,
            Clock.systemUTC());

    ActorSystem<Void> system = runtime.system();
    ActorRef<InstanceCommand> instance =
        runtime.spawn(
            InstanceCommand.class,
            InstanceActor.create(ops, reader, board, initial, settings.timing().operationTimeout()),
            "instance");
    RedisSupervisorActor.Settings supervision =
        new RedisSupervisorActor.Settings(
            settings.redisServer(),
            settings.timing().shutdownGrace(),
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            new RedisStartPreparation(
                restore, reader, runtime.blocking(), system, instance, settings),
            runtime.blocking());
    ActorRef<RedisSupervisorActor.Command> supervisor =
        runtime.spawn(
            RedisSupervisorActor.Command.class,
            RedisSupervisorActor.create(supervision, board),
            "redis-supervisor");

    ProjectedFileWatcher watcher = new ProjectedFileWatcher(settings.timing().filePollInterval());
    new RotationWatches(settings, instance, supervisor)
        .start(watcher, inputs, redisPassword, currentSettings, tls, redis, redisTls);

    acl.start(settings.timing().filePollInterval());
    InfoPoller poller = new InfoPoller(redis, board, settings.timing().statusInterval());
    RedisCommands heartbeat = agentConnection(settings, redisPassword, redisCa);
    IsolationPause isolationPause = new IsolationPause(heartbeat, redis, board);
    AgentMetrics metrics =
        new AgentMetrics(
            board, settings.pod().namespace(), settings.pod().clusterName(), settings.pod().name());
    AgentRoutes routes =
        new AgentRoutes(
            system,
            instance,
            board,
            poller::refresh,
            backups,
            metrics,
            new AgentRoutes.Settings(
                settings.pod().ip(),
                settings.ports().redis(),
                settings.timing().operationTimeout(),
                settings.readyMaxReplicaLagSeconds(),
                settings.pod().clusterName()),
            ReplicationSources.of(reader),
            new LegacyPeerUsers(
                settings.dirs().acl(),
                settings.dirs().auth(),
                LegacyPeerUsers.connector(
                    settings.pod().ip(), settings.timing().redisTimeout(), redisCa)));
    List<String> httpAddresses = new ArrayList<>(List.of(settings.pod().ip()));
    if (!settings.pod().ip().startsWith("127.")) {
      httpAddresses.add("127.0.0.1");
    }
    // Redis is started right below: from the first status answer on, "not running" must never be
    // said of a Redis that is about to run (the controller takes it as proof of death).
    board.recordRedisStarting(null);
    try {
      runtime.serveHttps(
          httpAddresses, settings.ports().http(), routes.api(), tls.connectionContext());
      runtime.serveHttp(httpAddresses, settings.ports().probe(), routes.probes());
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
   * A connection to this pod's Redis as the operator's agent user, with the password in force
   * (rotated live).
   */
  private static RedisCommands agentConnection(
      AgentSettings settings, AtomicReference<String> password, Path redisCa) {
    return new RedisCommands(
        settings.pod().ip(),
        settings.ports().redis(),
        OperatorUsers.AGENT,
        password::get,
        settings.timing().redisTimeout(),
        settings.pod().ip(),
        redisCa);
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
