package io.redisoperator.agent.sentinel;

import io.micrometer.core.instrument.Tags;
import io.redisoperator.agent.AgentSettings;
import io.redisoperator.agent.config.ConfigFiles;
import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.config.RedisTlsFiles;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.agent.kube.InformedClusterReader;
import io.redisoperator.agent.redis.RedisSupervisorActor;
import io.redisoperator.agent.runtime.AgentRuntime;
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
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sentinel role of a sentinel pod: renders sentinel.conf monitoring the recorded primary,
 * supervises redis-sentinel, keeps it pointed at {@code status.currentPrimary} ({@link
 * SentinelActor}) and serves the probes and /metrics on the agent port. Sentinel serves discovery
 * only; the operator stays the only failover authority ({@link SentinelConf}).
 */
public final class SentinelAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SentinelAgent.class);

  /**
   * @param binary the redis-sentinel executable
   * @param port Sentinel's port
   * @param followInterval how often the recorded primary is read and compared with what Sentinel
   *     monitors
   */
  /**
   * @param adminAuthDir the projected Sentinel admin Secret: the password of {@link
   *     SentinelConf#ADMIN_USER}
   */
  /**
   * @param tls spec.tls: Sentinel serves and speaks TLS with the files of the settings' Redis TLS
   *     directory (fixed for the pod's life: turning TLS on or off replaces the pod)
   */
  public record Options(
      String binary, int port, Duration followInterval, Path adminAuthDir, boolean tls) {
    /** Plaintext Sentinel. */
    public Options(String binary, int port, Duration followInterval, Path adminAuthDir) {
      this(binary, port, followInterval, adminAuthDir, false);
    }
  }

  private final AgentRuntime runtime;
  private final ActorRef<RedisSupervisorActor.Command> supervisor;
  private final ProjectedFileWatcher watcher;
  private final SentinelCommands sentinel;
  private final ClusterReader reader;

  private SentinelAgent(
      AgentRuntime runtime,
      ActorRef<RedisSupervisorActor.Command> supervisor,
      ProjectedFileWatcher watcher,
      SentinelCommands sentinel,
      ClusterReader reader) {
    this.runtime = runtime;
    this.supervisor = supervisor;
    this.watcher = watcher;
    this.sentinel = sentinel;
    this.reader = reader;
  }

  public static SentinelAgent start(AgentSettings settings, Options options) throws IOException {
    return start(settings, options, InformedClusterReader.forAgent(settings));
  }

  public static SentinelAgent start(
      AgentSettings settings, Options options, InformedClusterReader reader) throws IOException {
    AgentRuntime runtime = AgentRuntime.start(settings, "redis-sentinel-agent");
    ExecutorService blocking = runtime.blocking();
    Optional<ProjectedValue> initialPassword =
        ProjectedFiles.read(settings.dirs().auth(), InstanceLayout.SECRET_KEY_PASSWORD);
    if (initialPassword.isEmpty()) {
      log.error(
          "no auth password at {}: Sentinel cannot authenticate to the instances until it appears",
          settings.dirs().auth());
    }
    AtomicReference<String> password =
        new AtomicReference<>(initialPassword.map(ProjectedValue::value).orElse(null));
    StatusBoard process = new StatusBoard(settings.pod().name(), Clock.systemUTC());
    SentinelBoard board = new SentinelBoard(Clock.systemUTC());
    // Read once: Sentinel keeps the admin user it started with (a new password applies at the pod's
    // next start).
    String adminPassword =
        ProjectedFiles.read(options.adminAuthDir(), InstanceLayout.SECRET_KEY_PASSWORD)
            .map(ProjectedValue::value)
            .orElse(null);
    if (adminPassword == null) {
      log.error(
          "no Sentinel admin password at {}: this agent cannot configure its Sentinel",
          options.adminAuthDir());
    }
    SentinelCommands sentinel =
        new SentinelCommands(
            settings.pod().ip(),
            options.port(),
            settings.timing().redisTimeout(),
            adminPassword,
            options.tls() ? RedisTlsFiles.caFile(settings.dirs().redisTls()) : null);

    RedisSupervisorActor.Settings supervision =
        new RedisSupervisorActor.Settings(
            options.binary(),
            settings.timing().shutdownGrace(),
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            () -> prepare(settings, options, reader, password.get(), adminPassword, blocking),
            blocking);
    ActorRef<RedisSupervisorActor.Command> supervisor =
        runtime.spawn(
            RedisSupervisorActor.Command.class,
            RedisSupervisorActor.create(supervision, process),
            "sentinel-supervisor");
    ActorRef<SentinelActor.Command> follower =
        runtime.spawn(
            SentinelActor.Command.class,
            SentinelActor.create(
                new SentinelActor.Settings(
                    settings.pod().clusterName(),
                    settings.ports().redis(),
                    options.followInterval()),
                reader,
                sentinel,
                board,
                password::get,
                process::redisRunning,
                blocking),
            "sentinel-follower");
    reader.start(() -> follower.tell(SentinelActor.ClusterChanged.INSTANCE));

    ProjectedFileWatcher watcher = new ProjectedFileWatcher(settings.timing().filePollInterval());
    watcher.watch(
        settings.dirs().auth(),
        InstanceLayout.SECRET_KEY_PASSWORD,
        initialPassword,
        v -> {
          password.set(v.value());
          log.info("auth password changed (version {})", v.version());
          follower.tell(new SentinelActor.PasswordChanged());
        });

    long answerMaxAge =
        options.followInterval().multipliedBy(3).plus(settings.timing().redisTimeout()).toMillis();
    SentinelRoutes routes =
        new SentinelRoutes(
            process,
            board,
            answerMaxAge,
            Tags.of(
                "namespace",
                settings.pod().namespace(),
                "cluster",
                settings.pod().clusterName(),
                "pod",
                settings.pod().name()));
    try {
      runtime.serveHttp(
          SentinelConf.bindAddresses(settings.pod().ip()),
          settings.ports().probe(),
          routes.routes());
    } catch (IOException e) {
      watcher.close();
      sentinel.close();
      throw e;
    }
    supervisor.tell(RedisSupervisorActor.Start.INSTANCE);
    return new SentinelAgent(runtime, supervisor, watcher, sentinel, reader);
  }

  /**
   * Before every start: the recorded primary's address, then a fresh sentinel.conf. Without a
   * recorded primary with an IP there is nothing to monitor, so the start fails and the supervisor
   * retries with backoff.
   */
  private static CompletionStage<Path> prepare(
      AgentSettings settings,
      Options options,
      ClusterReader reader,
      String password,
      String adminPassword,
      ExecutorService blocking) {
    return reader
        .read()
        .thenApplyAsync(
            view -> {
              if (view.currentPrimary() == null || view.primaryPodIp() == null) {
                throw new IllegalStateException(
                    "no primary to monitor yet (currentPrimary "
                        + view.currentPrimary()
                        + ", pod IP "
                        + view.primaryPodIp()
                        + ")");
              }
              Path conf = confFile(settings);
              SentinelConf.Inputs inputs =
                  new SentinelConf.Inputs(
                      SentinelConf.bindAddresses(settings.pod().ip()),
                      settings.pod().ip(),
                      options.port(),
                      conf.getParent().toAbsolutePath().toString(),
                      settings.pod().clusterName(),
                      new Endpoint(view.primaryPodIp(), settings.ports().redis()),
                      password,
                      adminPassword,
                      options.tls() ? settings.dirs().redisTls() : null);
              try {
                privateDirectory(conf.getParent());
                ConfigFiles.writePrivate(conf, SentinelConf.render(inputs));
              } catch (IOException e) {
                throw new IllegalStateException("cannot write " + conf + ": " + e.getMessage(), e);
              }
              log.info(
                  "sentinel.conf written: monitoring {} at {}",
                  view.currentPrimary(),
                  view.primaryPodIp());
              return conf;
            },
            blocking);
  }

  /**
   * In a directory of its own: Sentinel rewrites its conf (with the auth-pass in it) through a temp
   * file whose mode follows the umask, so the 0700 directory is what keeps the password private.
   */
  public static Path confFile(AgentSettings settings) {
    return settings.dirs().data().resolve("sentinel").resolve("sentinel.conf");
  }

  private static void privateDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** Stops the HTTP port, then redis-sentinel, then everything else. */
  @Override
  public void close() {
    runtime.stopHttp();
    watcher.close();
    runtime.stopSupervised(supervisor, "redis-sentinel");
    sentinel.close();
    reader.close();
    runtime.close();
  }
}
