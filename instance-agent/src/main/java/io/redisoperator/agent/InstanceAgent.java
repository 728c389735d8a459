package io.redisoperator.agent;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.config.RedisConfRenderer;
import io.redisoperator.agent.config.SettingsCheck;
import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.agent.http.AgentRoutes;
import io.redisoperator.agent.http.BearerAuth;
import io.redisoperator.agent.instance.InstanceActor;
import io.redisoperator.agent.instance.InstanceOperations;
import io.redisoperator.agent.instance.InstanceState;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.agent.kube.KubeClusterReader;
import io.redisoperator.agent.metrics.AgentMetrics;
import io.redisoperator.agent.redis.InfoPoller;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.redis.RedisSupervisorActor;
import io.redisoperator.agent.secrets.ProjectedFileWatcher;
import io.redisoperator.agent.secrets.ProjectedFiles;
import io.redisoperator.agent.secrets.ProjectedValue;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running agent: wires the pieces together, starts Redis and the HTTP API, and stops them all on close. */
public final class InstanceAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InstanceAgent.class);

  /**
   * The agent stops Redis itself on SIGTERM (see {@link AgentMain}), so Pekko must not tear the actors down first from
   * its own JVM hook; its logs go through SLF4J like everything else.
   */
  private static final Config PEKKO_CONFIG =
      ConfigFactory.parseString(
              String.join(
                  "\n",
                  "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
                  "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                  "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                  "pekko.loglevel = INFO",
                  "pekko.log-dead-letters = off",
                  // Every operation has its own deadline (a switchover up to 60 s + the operation timeout);
                  // the server-level timeout must not cut it short.
                  "pekko.http.server.request-timeout = 120s",
                  "pekko.http.server.idle-timeout = 180s",
                  // Agent requests are a few hundred bytes of JSON.
                  "pekko.http.server.parsing.max-content-length = 64k"))
          .withFallback(ConfigFactory.load());

  private final AgentSettings settings;
  private final ActorSystem<Void> system;
  private final ActorRef<RedisSupervisorActor.Command> supervisor;
  private final List<ServerBinding> bindings;
  private final InfoPoller poller;
  private final ProjectedFileWatcher watcher;
  private final RedisCommands redis;
  private final ClusterReader reader;
  private final ExecutorService blocking;

  private InstanceAgent(
      AgentSettings settings,
      ActorSystem<Void> system,
      ActorRef<RedisSupervisorActor.Command> supervisor,
      List<ServerBinding> bindings,
      InfoPoller poller,
      ProjectedFileWatcher watcher,
      RedisCommands redis,
      ClusterReader reader,
      ExecutorService blocking) {
    this.settings = settings;
    this.system = system;
    this.supervisor = supervisor;
    this.bindings = bindings;
    this.poller = poller;
    this.watcher = watcher;
    this.redis = redis;
    this.reader = reader;
    this.blocking = blocking;
  }

  /** Starts the agent with a Kubernetes client from the usual auto-configuration. */
  public static InstanceAgent start(AgentSettings settings) throws IOException {
    KubeClusterReader reader =
        new KubeClusterReader(
            KubeClusterReader.clientFrom(settings.podIp(), settings.kubeTimeout(), settings.kubernetesMaster()),
            settings.namespace(),
            settings.clusterName(),
            settings.podName(),
            settings.kubeTimeout());
    return start(settings, reader);
  }

  public static InstanceAgent start(AgentSettings settings, ClusterReader reader) throws IOException {
    ExecutorService blocking =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "agent-blocking");
              t.setDaemon(true);
              return t;
            });
    Optional<ProjectedValue> password = ProjectedFiles.read(settings.authDir(), InstanceLayout.SECRET_KEY_PASSWORD);
    Optional<ProjectedValue> token = ProjectedFiles.read(settings.tokenDir(), InstanceLayout.SECRET_KEY_TOKEN);
    Optional<ProjectedValue> settingsFile = ProjectedFiles.read(settings.configDir(), InstanceLayout.CONFIG_KEY_SETTINGS);
    if (password.isEmpty()) {
      log.error("no auth password at {}: Redis will not start until it appears", settings.authDir());
    }
    if (token.isEmpty()) {
      log.error("no agent token at {}: every /v1 request will be refused", settings.tokenDir());
    }
    InstanceState initial =
        new InstanceState(
            previousReplicaOf(settings.confFile()),
            true,
            FenceMarker.load(settings.dataDir()).orElse(null),
            settingsFile.flatMap(InstanceAgent::parseSettings).orElse(new InstanceSettings(Map.of(), null, null)),
            password.orElse(null),
            token.map(ProjectedValue::version).orElse(null));
    if (initial.fence() != null) {
      log.warn("fence marker found: starting fenced ({})", initial.fence().reason());
    }

    AtomicReference<String> redisPassword = new AtomicReference<>(password.map(ProjectedValue::value).orElse(""));
    AtomicReference<String> tokenValue = new AtomicReference<>(token.map(ProjectedValue::value).orElse(null));
    StatusBoard board = new StatusBoard(settings.podName(), Clock.systemUTC());
    RedisCommands redis =
        new RedisCommands(settings.podIp(), settings.redisPort(), redisPassword::get, settings.redisTimeout());
    int ordinal = ResourceNames.ordinalOf(settings.clusterName(), settings.podName()).orElse(-1);
    InstanceOperations ops =
        new InstanceOperations(
            new InstanceOperations.Layout(
                settings.podName(), ordinal, settings.podIp(), settings.redisPort(), settings.dataDir(), settings.confFile()),
            redis,
            board,
            redisPassword,
            blocking);

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "redis-agent", PEKKO_CONFIG);
    ActorRef<InstanceActor.Command> instance =
        system.systemActorOf(
            Behaviors.withMdc(
                InstanceActor.Command.class,
                Map.of("cluster", settings.clusterName(), "pod", settings.podName(), "namespace", settings.namespace()),
                InstanceActor.create(ops, reader, board, initial, settings.operationTimeout())),
            "instance",
            Props.empty());
    RedisSupervisorActor.Settings supervision =
        new RedisSupervisorActor.Settings(
            settings.redisServer(),
            settings.shutdownGrace(),
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            () -> prepare(system, instance, settings),
            blocking);
    ActorRef<RedisSupervisorActor.Command> supervisor =
        system.systemActorOf(
            Behaviors.withMdc(
                RedisSupervisorActor.Command.class,
                Map.of("cluster", settings.clusterName(), "pod", settings.podName(), "namespace", settings.namespace()),
                RedisSupervisorActor.create(supervision, board)),
            "redis-supervisor",
            Props.empty());

    ProjectedFileWatcher watcher = new ProjectedFileWatcher(settings.filePollInterval());
    watcher.watch(
        settings.authDir(), InstanceLayout.SECRET_KEY_PASSWORD, password,
        v -> {
          instance.tell(new InstanceActor.PasswordChanged(v));
          // A pod that booted before its Secret was projected starts Redis now.
          supervisor.tell(RedisSupervisorActor.Start.INSTANCE);
        });
    watcher.watch(
        settings.tokenDir(), InstanceLayout.SECRET_KEY_TOKEN, token,
        v -> {
          tokenValue.set(v.value());
          instance.tell(new InstanceActor.TokenChanged(v.version()));
        });
    watcher.watch(
        settings.configDir(), InstanceLayout.CONFIG_KEY_SETTINGS, settingsFile,
        v -> parseSettings(v).ifPresent(s -> instance.tell(new InstanceActor.SettingsChanged(s))));

    InfoPoller poller = new InfoPoller(redis, board, settings.statusInterval());
    AgentMetrics metrics = new AgentMetrics(board, settings.namespace(), settings.clusterName(), settings.podName());
    AgentRoutes routes =
        new AgentRoutes(
            system,
            instance,
            board,
            new BearerAuth(tokenValue),
            metrics,
            new AgentRoutes.Settings(
                settings.podIp(), settings.redisPort(), settings.operationTimeout(), settings.readyMaxReplicaLagSeconds()));
    List<ServerBinding> bindings = new ArrayList<>();
    List<String> httpAddresses = new ArrayList<>(List.of(settings.podIp()));
    if (!settings.podIp().startsWith("127.")) {
      httpAddresses.add("127.0.0.1");
    }
    try {
      for (String address : httpAddresses) {
        bindings.add(
            Http.get(system)
                .newServerAt(address, settings.httpPort())
                .bind(routes.routes())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
        log.info("agent HTTP API listening on {}:{}", address, settings.httpPort());
      }
    } catch (Exception e) {
      system.terminate();
      throw new IOException("cannot bind the agent HTTP port " + settings.httpPort() + ": " + e.getMessage(), e);
    }
    supervisor.tell(RedisSupervisorActor.Start.INSTANCE);
    return new InstanceAgent(settings, system, supervisor, bindings, poller, watcher, redis, reader, blocking);
  }

  private static CompletionStage<Path> prepare(
      ActorSystem<Void> system, ActorRef<InstanceActor.Command> instance, AgentSettings settings) {
    return AskPattern.askWithStatus(
        instance,
        InstanceActor.PrepareStart::new,
        settings.kubeTimeout().multipliedBy(3).plus(settings.operationTimeout()),
        system.scheduler());
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
      InstanceSettings s = Json.mapper().readValue(value.value(), InstanceSettings.class);
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

  /** Stops the HTTP API, then redis-server (gracefully, within the shutdown grace), then everything else. */
  @Override
  public void close() {
    for (ServerBinding b : bindings) {
      try {
        b.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("cannot unbind {}: {}", b.localAddress(), e.toString());
      }
    }
    poller.close();
    watcher.close();
    try {
      AskPattern.<RedisSupervisorActor.Command, Done>ask(
              supervisor,
              RedisSupervisorActor.Stop::new,
              settings.shutdownGrace().plusSeconds(10),
              system.scheduler())
          .toCompletableFuture()
          .get(settings.shutdownGrace().plusSeconds(15).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("redis-server did not stop cleanly: {}", e.toString());
    }
    redis.close();
    reader.close();
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("actor system did not terminate in time: {}", e.toString());
    }
    blocking.shutdownNow();
  }
}
