package io.redisoperator.bench;

import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.Mode;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.sandbox.Sandbox;
import io.redisoperator.sandbox.SandboxConfig;
import io.redisoperator.sandbox.network.SandboxNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code make bench-failover}: repeated faults on the primary of a 3-instance RedisCluster run by
 * the real operator on the local sandbox (real controller, kubelet running real agent pods and
 * redis-servers, service proxy, fault injector), under a writer that records every acknowledged
 * write: through the {@code -leader} Service for the standalone kinds, through Sentinel discovery
 * on the {@code -sentinel} Service for the sentinel kinds (a second, sentinel-mode cluster). Then
 * the anchor, plain Redis Sentinel with the same writer and fault ({@link AnchorRun}). Prints one
 * line per kind ({@link BenchLine}). Bounded by --runs and --max-seconds; everything it starts
 * (processes, iptables rules, addresses, files) is gone when it returns, also on Ctrl-C (the
 * sandboxes' shutdown hooks).
 */
@Command(
    name = "bench-failover",
    mixinStandardHelpOptions = true,
    description = "Measures write gaps, lost acknowledged writes and split brain across failovers.")
public final class FailoverBench implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(FailoverBench.class);

  /**
   * Loopback range reserved for benchmarks, so the bench's pods never sit in the e2e tests' range.
   */
  static final SandboxNetwork NETWORK =
      new SandboxNetwork("127.0.60.1", "127.0.60.2", "127.0.67.254", "127.0.68.1", "127.0.69.254");

  private static final String NAMESPACE = "default";
  private static final String CLUSTER = "bench";

  /** The sentinel-mode cluster of the sentinel kinds (a name may not end in -sentinel). */
  private static final String SENTINEL_CLUSTER = "sbench";

  /** Controller and three pod JVMs starting on a busy two-core machine. */
  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);

  @Option(
      names = "--kinds",
      split = ",",
      defaultValue =
          "pod-kill,redis-kill,partition,switchover,sentinel-kill,"
              + "sentinel-switchover,anchor-sentinel-5000,anchor-sentinel-1000",
      description = "Faults to repeat (default: ${DEFAULT-VALUE}).")
  private List<String> kinds;

  @Option(
      names = "--runs",
      defaultValue = "5",
      description = "Runs per kind (default: ${DEFAULT-VALUE}).")
  private int runs;

  @Option(
      names = "--instances",
      defaultValue = "3",
      description = "Data pods (default: ${DEFAULT-VALUE}).")
  private int instances;

  @Option(
      names = "--durability",
      description =
          "spec.durability.minReplicasToWrite=1 and a writer that counts a write once WAIT 1 confirms it.")
  private boolean durability;

  @Option(
      names = "--durability-spec-only",
      description =
          "spec.durability.minReplicasToWrite=1 and a plain writer (a write counts once SET answers OK).")
  private boolean durabilitySpecOnly;

  @Option(
      names = "--tls",
      description =
          "spec.tls with operator-issued certificates; the writer and the probes connect over TLS, in the"
              + " sentinel kinds through Sentinel over TLS (the anchor stays plaintext).")
  private boolean tls;

  @Option(
      names = "--max-seconds",
      defaultValue = "1800",
      description = "Stop starting runs after this (default: ${DEFAULT-VALUE}).")
  private long maxSeconds;

  @Option(
      names = "--operator-jar",
      description = "dist/redis-operator.jar (default: found from the working directory).")
  private Path operatorJar;

  @Option(
      names = "--controller-jvm-flag",
      description =
          "A flag of the controller's JVM, after the sandbox's (repeatable), e.g."
              + " -Dredisoperator.statusLongPoll=false.")
  private List<String> controllerJvmFlags = new ArrayList<>();

  @Option(
      names = "--keep-logs",
      description = "Keep the controller's and the pods' logs (the path is printed).")
  private boolean keepLogs;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FailoverBench()).execute(args));
  }

  @Override
  public Integer call() throws IOException, TimeoutException {
    List<FailoverKind> selected = kinds.stream().map(FailoverKind::parse).toList();
    long deadline = System.nanoTime() + Duration.ofSeconds(maxSeconds).toNanos();
    Map<FailoverKind, List<FaultRun.Result>> results = new LinkedHashMap<>();
    Map<FailoverKind, String> skipped = new LinkedHashMap<>();
    List<FailoverKind> operatorKinds =
        selected.stream().filter(k -> k.target() != FailoverKind.Target.ANCHOR).toList();
    if (!operatorKinds.isEmpty()) {
      runOperatorKinds(operatorKinds, deadline, results, skipped);
    }
    for (FailoverKind kind : selected) {
      if (kind.target() == FailoverKind.Target.ANCHOR) {
        log.info(
            "anchor: three redis-servers and three redis-sentinels, down-after-milliseconds {}",
            kind.downAfterMillis());
        results.put(kind, AnchorRun.runAll(kind, runs, durability, deadline, anchorStateRoot()));
      }
    }
    Optional<Long> tunedAnchorP99 =
        Optional.ofNullable(results.get(FailoverKind.ANCHOR_SENTINEL_1000))
            .map(
                list ->
                    list.stream()
                        .filter(FaultRun.Result::completed)
                        .map(FaultRun.Result::gapMillis)
                        .toList())
            .filter(gaps -> !gaps.isEmpty())
            .map(gaps -> RunAnalysis.percentile(gaps, 99));
    results.forEach(
        (kind, list) ->
            System.out.println(
                BenchLine.format(
                        kind.label(),
                        list,
                        durabilityLabel(kind),
                        kind.target() != FailoverKind.Target.ANCHOR,
                        kind.kill() ? tunedAnchorP99 : Optional.empty())
                    + (tls && kind.target() != FailoverKind.Target.ANCHOR ? " tls=on" : "")));
    skipped.forEach(
        (kind, reason) ->
            System.out.println("failover: kind=" + kind.label() + " skipped: " + reason));
    return results.values().stream().flatMap(List::stream).anyMatch(r -> !r.completed()) ? 1 : 0;
  }

  /** spec.durability set on the benchmark's clusters (with WAIT in the writer or without). */
  private boolean durabilitySpec() {
    return durability || durabilitySpecOnly;
  }

  /**
   * What the line says about durability: on (spec and WAIT), spec-only (a plain writer), or
   * nothing.
   */
  private Optional<String> durabilityLabel(FailoverKind kind) {
    if (durability) {
      return Optional.of("on");
    }
    return durabilitySpecOnly && kind.target() != FailoverKind.Target.ANCHOR
        ? Optional.of("spec-only")
        : Optional.empty();
  }

  /**
   * Our kinds, on the sandbox: one cluster per target (standalone through -leader, sentinel through
   * -sentinel).
   */
  private void runOperatorKinds(
      List<FailoverKind> selected,
      long deadline,
      Map<FailoverKind, List<FaultRun.Result>> results,
      Map<FailoverKind, String> skipped)
      throws IOException, TimeoutException {
    // Without --keep-logs the logs stay inside the sandbox's state directory, which the sandbox
    // removes however it
    // ends (close, shutdown hook on Ctrl-C, watchdog or the next benchmark's reaper after a
    // SIGKILL).
    Optional<Path> keptLogs =
        keepLogs
            ? Optional.of(Files.createTempDirectory("redis-op-bench-logs-"))
            : Optional.empty();
    SandboxConfig config = SandboxConfig.defaults().withStateRoot(stateRoot()).withNetwork(NETWORK);
    if (keptLogs.isPresent()) {
      config = config.withLogsDir(keptLogs.get());
    }
    if (operatorJar != null) {
      config = config.withOperatorJar(operatorJar.toAbsolutePath());
    }
    if (!controllerJvmFlags.isEmpty()) {
      log.info("controller JVM flags added: {}", String.join(" ", controllerJvmFlags));
      config = config.withControllerJvmFlags(controllerJvmFlags);
    }
    try (Sandbox sandbox = Sandbox.start(config)) {
      sandbox.startController();
      for (FailoverKind.Target target :
          List.of(FailoverKind.Target.LEADER, FailoverKind.Target.SENTINEL)) {
        List<FailoverKind> kindsOfTarget =
            selected.stream().filter(k -> k.target() == target).toList();
        if (!kindsOfTarget.isEmpty() && System.nanoTime() < deadline) {
          runOnCluster(sandbox, target, kindsOfTarget, deadline, results, skipped);
        }
      }
    }
    keptLogs.ifPresent(dir -> log.info("controller and pod logs kept in {}", dir));
  }

  private void runOnCluster(
      Sandbox sandbox,
      FailoverKind.Target target,
      List<FailoverKind> selected,
      long deadline,
      Map<FailoverKind, List<FaultRun.Result>> results,
      Map<FailoverKind, String> skipped)
      throws TimeoutException {
    boolean sentinel = target == FailoverKind.Target.SENTINEL;
    String name = sentinel ? SENTINEL_CLUSTER : CLUSTER;
    log.info(
        "creating RedisCluster {}/{} ({} instances, mode {}{}{})",
        NAMESPACE,
        name,
        instances,
        sentinel ? "sentinel" : "standalone",
        durabilitySpec() ? ", minReplicasToWrite=1" : "",
        tls ? ", TLS" : "");
    try (BenchCluster cluster =
            BenchCluster.create(
                sandbox.client(),
                NAMESPACE,
                name,
                instances,
                sentinel ? Mode.SENTINEL : Mode.STANDALONE,
                durabilitySpec(),
                tls,
                STARTUP_TIMEOUT);
        RedisLinks links =
            new RedisLinks(
                cluster.password(),
                Duration.ofMillis(durability ? 700 : 300),
                tls ? cluster.clientCaFile() : null)) {
      Supplier<StatefulRedisConnection<String, String>> connector =
          sentinel
              ? () ->
                  links.connectViaSentinel(
                      List.of(
                          sandbox.serviceAddress(
                              NAMESPACE,
                              ResourceNames.sentinelService(name),
                              AgentApi.SENTINEL_PORT)),
                      name)
              : () ->
                  links.connect(
                      sandbox.serviceAddress(
                          NAMESPACE, ResourceNames.leaderService(name), AgentApi.REDIS_PORT));
      WriteLog writes = new WriteLog();
      Writer writer = new Writer(writes, durability, connector);
      Thread writing = new Thread(writer, "bench-writer");
      writing.setDaemon(true);
      writing.start();
      try (Probes probes = new Probes(links, writes, durability, cluster::podIps)) {
        FaultRun runner = new FaultRun(cluster, sandbox.faults(), writer, writes, links, NAMESPACE);
        for (FailoverKind kind : selected) {
          Optional<String> unavailable =
              kind == FailoverKind.PARTITION
                  ? sandbox.faults().partitionUnavailableReason()
                  : Optional.empty();
          if (unavailable.isPresent()) {
            skipped.put(kind, unavailable.get());
            continue;
          }
          for (int run = 1; run <= runs && System.nanoTime() < deadline; run++) {
            results.computeIfAbsent(kind, k -> new ArrayList<>()).add(runner.run(kind, run));
          }
        }
      } finally {
        writer.stop();
        joinQuietly(writing);
      }
      cluster.delete(STARTUP_TIMEOUT);
    }
  }

  /** The anchor's own sandbox state root (its process groups, addresses and conf files). */
  private static Path anchorStateRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"), "redis-operator-bench-anchor");
  }

  /**
   * The benchmarks' own state root: apart from the tests' and {@code make run}'s, and stable, so a
   * benchmark killed before its watchdog could clean up is reaped by the next one.
   */
  private static Path stateRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"), "redis-operator-bench-sandbox");
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
