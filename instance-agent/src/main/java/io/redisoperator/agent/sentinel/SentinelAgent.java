package io.redisoperator.agent.sentinel;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.Tags;
import io.redisoperator.agent.AgentSettings;
import io.redisoperator.agent.config.ConfigFiles;
import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.agent.kube.KubeClusterReader;
import io.redisoperator.agent.redis.RedisSupervisorActor;
import io.redisoperator.agent.secrets.ProjectedFileWatcher;
import io.redisoperator.agent.secrets.ProjectedFiles;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.InstanceLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.slf4j.MDC;

/**
 * The sentinel role of a sentinel pod: renders sentinel.conf monitoring the recorded primary, supervises
 * redis-sentinel, keeps it pointed at {@code status.currentPrimary} ({@link SentinelActor}) and serves the probes and
 * /metrics on the agent port. Sentinel serves discovery only; the operator stays the only failover authority
 * ({@link SentinelConf}).
 */
public final class SentinelAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SentinelAgent.class);
  private static final Config PEKKO_CONFIG =
      ConfigFactory.parseString(
              String.join(
                  "\n",
                  "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
                  "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                  "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                  "pekko.loglevel = INFO",
                  "pekko.log-dead-letters = off"))
          .withFallback(ConfigFactory.load());

  /**
   * @param binary the redis-sentinel executable
   * @param port Sentinel's port
   * @param followInterval how often the recorded primary is read and compared with what Sentinel monitors
   */
  public record Options(String binary, int port, Duration followInterval) {}

  private final AgentSettings settings;
  private final ActorSystem<Void> system;
  private final ActorRef<RedisSupervisorActor.Command> supervisor;
  private final List<ServerBinding> bindings;
  private final ProjectedFileWatcher watcher;
  private final SentinelCommands sentinel;
  private final ClusterReader reader;
  private final ExecutorService blocking;

  private SentinelAgent(
      AgentSettings settings,
      ActorSystem<Void> system,
      ActorRef<RedisSupervisorActor.Command> supervisor,
      List<ServerBinding> bindings,
      ProjectedFileWatcher watcher,
      SentinelCommands sentinel,
      ClusterReader reader,
      ExecutorService blocking) {
    this.settings = settings;
    this.system = system;
    this.supervisor = supervisor;
    this.bindings = bindings;
    this.watcher = watcher;
    this.sentinel = sentinel;
    this.reader = reader;
    this.blocking = blocking;
  }

  public static SentinelAgent start(AgentSettings settings, Options options) throws IOException {
    KubeClusterReader reader =
        new KubeClusterReader(
            KubeClusterReader.clientFrom(settings.podIp(), settings.kubeTimeout(), settings.kubernetesMaster()),
            settings.namespace(),
            settings.clusterName(),
            settings.podName(),
            settings.kubeTimeout());
    return start(settings, options, reader);
  }

  public static SentinelAgent start(AgentSettings settings, Options options, ClusterReader reader) throws IOException {
    ExecutorService blocking =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "sentinel-blocking");
              t.setDaemon(true);
              return t;
            });
    Optional<ProjectedValue> initialPassword = ProjectedFiles.read(settings.authDir(), InstanceLayout.SECRET_KEY_PASSWORD);
    if (initialPassword.isEmpty()) {
      log.error("no auth password at {}: Sentinel cannot authenticate to the instances until it appears", settings.authDir());
    }
    AtomicReference<String> password = new AtomicReference<>(initialPassword.map(ProjectedValue::value).orElse(null));
    Map<String, String> mdc =
        Map.of("cluster", settings.clusterName(), "pod", settings.podName(), "namespace", settings.namespace());
    StatusBoard process = new StatusBoard(settings.podName(), Clock.systemUTC());
    SentinelBoard board = new SentinelBoard(Clock.systemUTC());
    SentinelCommands sentinel = new SentinelCommands(settings.podIp(), options.port(), settings.redisTimeout());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "redis-sentinel-agent", PEKKO_CONFIG);

    RedisSupervisorActor.Settings supervision =
        new RedisSupervisorActor.Settings(
            options.binary(),
            settings.shutdownGrace(),
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            () -> prepare(settings, options, reader, password.get(), blocking),
            blocking);
    ActorRef<RedisSupervisorActor.Command> supervisor =
        system.systemActorOf(
            Behaviors.withMdc(RedisSupervisorActor.Command.class, mdc, RedisSupervisorActor.create(supervision, process)),
            "sentinel-supervisor",
            Props.empty());
    ActorRef<SentinelActor.Command> follower =
        system.systemActorOf(
            Behaviors.withMdc(
                SentinelActor.Command.class,
                mdc,
                SentinelActor.create(
                    new SentinelActor.Settings(settings.clusterName(), settings.redisPort(), options.followInterval()),
                    reader,
                    sentinel,
                    board,
                    password::get,
                    process::redisRunning,
                    blocking)),
            "sentinel-follower",
            Props.empty());

    ProjectedFileWatcher watcher = new ProjectedFileWatcher(settings.filePollInterval());
    watcher.watch(
        settings.authDir(), InstanceLayout.SECRET_KEY_PASSWORD, initialPassword,
        v -> {
          password.set(v.value());
          log.info("auth password changed (version {})", v.version());
          follower.tell(new SentinelActor.PasswordChanged());
        });

    long answerMaxAge = options.followInterval().multipliedBy(3).plus(settings.redisTimeout()).toMillis();
    SentinelRoutes routes =
        new SentinelRoutes(
            process, board, answerMaxAge,
            Tags.of("namespace", settings.namespace(), "cluster", settings.clusterName(), "pod", settings.podName()));
    List<ServerBinding> bindings = new ArrayList<>();
    try {
      for (String address : SentinelConf.bindAddresses(settings.podIp())) {
        bindings.add(
            Http.get(system)
                .newServerAt(address, settings.httpPort())
                .bind(routes.routes())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
        log.info("sentinel agent HTTP listening on {}:{}", address, settings.httpPort());
      }
    } catch (Exception e) {
      system.terminate();
      sentinel.close();
      throw new IOException("cannot bind the agent HTTP port " + settings.httpPort() + ": " + e.getMessage(), e);
    }
    supervisor.tell(RedisSupervisorActor.Start.INSTANCE);
    return new SentinelAgent(settings, system, supervisor, bindings, watcher, sentinel, reader, blocking);
  }

  /**
   * Before every start: the recorded primary's address, then a fresh sentinel.conf. Without a recorded primary with
   * an IP there is nothing to monitor, so the start fails and the supervisor retries with backoff.
   */
  private static CompletionStage<Path> prepare(
      AgentSettings settings, Options options, ClusterReader reader, String password, ExecutorService blocking) {
    return reader
        .read()
        .thenApplyAsync(
            view -> {
              MDC.put("cluster", settings.clusterName());
              MDC.put("pod", settings.podName());
              MDC.put("namespace", settings.namespace());
              if (view.currentPrimary() == null || view.primaryPodIp() == null) {
                throw new IllegalStateException(
                    "no primary to monitor yet (currentPrimary " + view.currentPrimary() + ", pod IP " + view.primaryPodIp() + ")");
              }
              Path conf = confFile(settings);
              SentinelConf.Inputs inputs =
                  new SentinelConf.Inputs(
                      SentinelConf.bindAddresses(settings.podIp()),
                      settings.podIp(),
                      options.port(),
                      conf.getParent().toAbsolutePath().toString(),
                      settings.clusterName(),
                      new Endpoint(view.primaryPodIp(), settings.redisPort()),
                      password);
              try {
                privateDirectory(conf.getParent());
                ConfigFiles.writePrivate(conf, SentinelConf.render(inputs));
              } catch (IOException e) {
                throw new IllegalStateException("cannot write " + conf + ": " + e.getMessage(), e);
              }
              log.info("sentinel.conf written: monitoring {} at {}", view.currentPrimary(), view.primaryPodIp());
              return conf;
            },
            blocking);
  }

  /**
   * In a directory of its own: Sentinel rewrites its conf (with the auth-pass in it) through a temp file whose mode
   * follows the umask, so the 0700 directory is what keeps the password private.
   */
  public static Path confFile(AgentSettings settings) {
    return settings.dataDir().resolve("sentinel").resolve("sentinel.conf");
  }

  private static void privateDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** Stops the HTTP port, then redis-sentinel, then everything else. */
  @Override
  public void close() {
    for (ServerBinding b : bindings) {
      try {
        b.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("cannot unbind {}: {}", b.localAddress(), e.toString());
      }
    }
    watcher.close();
    try {
      AskPattern.<RedisSupervisorActor.Command, Done>ask(
              supervisor, RedisSupervisorActor.Stop::new, settings.shutdownGrace().plusSeconds(10), system.scheduler())
          .toCompletableFuture()
          .get(settings.shutdownGrace().plusSeconds(15).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("redis-sentinel did not stop cleanly: {}", e.toString());
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("actor system did not terminate in time: {}", e.toString());
    }
    sentinel.close();
    reader.close();
    blocking.shutdownNow();
  }
}
