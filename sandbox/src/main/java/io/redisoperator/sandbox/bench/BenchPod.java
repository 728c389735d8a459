package io.redisoperator.sandbox.bench;

import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One incarnation of a data pod, run the way the sandbox kubelet runs it: {@code java -jar redis-operator.jar instance}
 * with the Downward API environment, its projected files under a per-pod root, and the data directory of its "PVC",
 * which outlives the incarnation.
 */
final class BenchPod {
  private static final List<String> JVM_FLAGS =
      List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  /** The pods' JVMs log at INFO with quiet libraries (written once per benchmark by {@link #writeLogConfig}). */
  static final String LOGBACK_FILE = "logback-pod.xml";

  private final String name;
  private final int ordinal;
  private final String ip;
  private final Process process;

  private BenchPod(String name, int ordinal, String ip, Process process) {
    this.name = name;
    this.ordinal = ordinal;
    this.ip = ip;
    this.process = process;
  }

  /** Writes the pod's files and starts its agent (which starts redis-server). */
  static BenchPod start(BenchSetup setup, String name, int ordinal, String ip, int incarnation) {
    Path root = setup.workDir().resolve("pods").resolve(name + "-" + incarnation);
    Path data = setup.workDir().resolve("pvc").resolve(name);
    try {
      Files.createDirectories(data);
      write(root, InstanceLayout.CONFIG_DIR, InstanceLayout.CONFIG_KEY_SETTINGS,
          Json.mapper().writeValueAsString(settings(setup)));
      write(root, InstanceLayout.AUTH_DIR, InstanceLayout.SECRET_KEY_PASSWORD, setup.password());
      write(root, InstanceLayout.TOKEN_DIR, InstanceLayout.SECRET_KEY_TOKEN, setup.token());
      Path log = setup.workDir().resolve("logs").resolve(name + "-" + incarnation + ".log");
      Files.createDirectories(log.getParent());
      List<String> command = new ArrayList<>(List.of(setup.java().toString()));
      command.addAll(JVM_FLAGS);
      command.add("-Dlogback.configurationFile=" + setup.workDir().resolve(LOGBACK_FILE));
      command.addAll(List.of("-jar", setup.operatorJar().toString(), "instance", "--data-dir", data.toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.put(InstanceLayout.ENV_POD_NAME, name);
      env.put(InstanceLayout.ENV_POD_NAMESPACE, setup.namespace());
      env.put(InstanceLayout.ENV_POD_IP, ip);
      env.put(InstanceLayout.ENV_CLUSTER_NAME, setup.cluster());
      env.put(InstanceLayout.ENV_FS_ROOT, root.toString());
      env.put("KUBERNETES_MASTER", setup.apiServerUrl());
      env.put("LOG_FORMAT", "text");
      return new BenchPod(name, ordinal, ip, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start pod " + name, e);
    }
  }

  static void writeLogConfig(Path workDir) throws IOException {
    Files.writeString(workDir.resolve(LOGBACK_FILE), """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
          </appender>
          <logger name="io.fabric8" level="WARN"/>
          <logger name="io.netty" level="WARN"/>
          <logger name="io.lettuce" level="WARN"/>
          <logger name="io.vertx" level="WARN"/>
          <logger name="org.apache.pekko" level="WARN"/>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
  }

  private static InstanceSettings settings(BenchSetup setup) {
    return setup.durability() ? new InstanceSettings(Map.of(), 1, 10) : new InstanceSettings(Map.of(), null, null);
  }

  private static void write(Path root, String dir, String key, String content) throws IOException {
    Path target = root.resolve(dir.substring(1)).resolve(key);
    Files.createDirectories(target.getParent());
    Files.writeString(target, content);
  }

  String name() {
    return name;
  }

  int ordinal() {
    return ordinal;
  }

  String ip() {
    return ip;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Like a force-deleted pod: every process of it SIGKILLed at once, children first so none is orphaned. */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    waitGone();
  }

  /** SIGKILLs redis-server only; the agent notices its child exit and restarts it. */
  boolean killRedisServer() {
    return process.descendants()
        .filter(BenchPod::isRedis)
        .map(ProcessHandle::destroyForcibly)
        .reduce(false, Boolean::logicalOr);
  }

  /** redis-server, whose executable may be a link to redis-check-rdb (Debian), hence the command line too. */
  private static boolean isRedis(ProcessHandle process) {
    return process.info().command().map(c -> c.contains("redis")).orElse(false)
        || process.info().commandLine().map(c -> c.contains("redis-server")).orElse(false);
  }

  /** SIGTERM (the agent shuts Redis down gracefully), then SIGKILL whatever is left. */
  void stop() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
    kill();
  }

  private void waitGone() {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
