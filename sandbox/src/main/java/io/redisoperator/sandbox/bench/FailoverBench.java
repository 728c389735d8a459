package io.redisoperator.sandbox.bench;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.crd.DurabilitySpec;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.sandbox.SandboxConfig;
import io.redisoperator.sandbox.api.ApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code make bench-failover}: repeated failovers of a 3-instance cluster of real agents and redis-servers, decided by
 * the real planners, under a writer that records every acknowledged write. Prints one line per kind:
 * {@code failover: kind=<kind> runs=N write_gap_p50_ms=.. write_gap_p99_ms=.. acked_lost=.. split_brain_ms=..}
 * (acked_lost summed over the runs, split_brain_ms the worst run). Bounded by --runs and --max-seconds; everything it
 * starts (processes, iptables chain, files) is gone when it returns.
 */
@Command(name = "bench-failover", mixinStandardHelpOptions = true,
    description = "Measures write gaps, lost acknowledged writes and split brain across failovers.")
public final class FailoverBench implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(FailoverBench.class);
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);
  /** Three JVMs starting on a busy machine. */
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);

  @Option(names = "--kinds", split = ",", defaultValue = "pod-kill,redis-kill,partition,switchover",
      description = "Faults to repeat (default: ${DEFAULT-VALUE}).")
  private List<String> kinds;

  @Option(names = "--runs", defaultValue = "5", description = "Runs per kind (default: ${DEFAULT-VALUE}).")
  private int runs;

  @Option(names = "--instances", defaultValue = "3", description = "Data pods (default: ${DEFAULT-VALUE}).")
  private int instances;

  @Option(names = "--durability", description = "min-replicas-to-write 1 and a writer that waits for WAIT 1.")
  private boolean durability;

  @Option(names = "--max-seconds", defaultValue = "900", description = "Stop starting runs after this (default: ${DEFAULT-VALUE}).")
  private long maxSeconds;

  @Option(names = "--operator-jar", description = "dist/redis-operator.jar (default: found from the working directory).")
  private Path operatorJar;

  @Option(names = "--keep-logs", description = "Keep the work directory with the agents' logs.")
  private boolean keepLogs;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FailoverBench()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    List<FailoverKind> selected = kinds.stream().map(FailoverKind::parse).toList();
    long deadline = System.nanoTime() + Duration.ofSeconds(maxSeconds).toNanos();
    Path work = Files.createTempDirectory("redis-op-bench-");
    BenchPod.writeLogConfig(work);
    BenchSetup setup = new BenchSetup(work, Path.of(System.getProperty("java.home"), "bin", "java"),
        operatorJar == null ? SandboxConfig.findOperatorJar() : operatorJar.toAbsolutePath(), "default", "bench",
        randomHex(), randomHex(), null, durability);
    Map<FailoverKind, List<RunResult>> results = new LinkedHashMap<>();
    try (ApiServer api = ApiServer.start(BenchAddresses.API_SERVER_IP, 0, () -> "127.0.60.3");
        KubernetesClient client = api.newClient();
        BenchFirewall firewall = selected.contains(FailoverKind.PARTITION) ? BenchFirewall.open() : null;
        RedisLinks links = new RedisLinks(setup.password(), Duration.ofMillis(durability ? 700 : 300))) {
      BenchSetup withApi = new BenchSetup(setup.workDir(), setup.java(), setup.operatorJar(), setup.namespace(),
          setup.cluster(), setup.password(), setup.token(), api.url(), durability);
      WriteLog writes = new WriteLog();
      Writer writer = new Writer(links, writes, durability);
      try (BenchController controller = new BenchController(withApi, client, instances, writer::target)) {
        Thread cleanup = new Thread(() -> {
          controller.close();
          if (firewall != null) {
            firewall.close();
          }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        controller.start(redisCluster(withApi), STARTUP_TIMEOUT);
        BenchController.await(controller::settled, STARTUP_TIMEOUT, "the cluster to settle");
        Thread writing = new Thread(writer, "bench-writer");
        writing.start();
        try (Probes probes = new Probes(links, writes, durability, controller::podIps)) {
          RunContext context = new RunContext(controller, writer, writes, links, firewall);
          for (FailoverKind kind : selected) {
            for (int run = 1; run <= runs && System.nanoTime() < deadline; run++) {
              results.computeIfAbsent(kind, k -> new ArrayList<>()).add(context.run(kind, run));
            }
          }
        } finally {
          writer.stop();
          Runtime.getRuntime().removeShutdownHook(cleanup);
        }
      }
    } finally {
      if (!keepLogs) {
        deleteTree(work);
      } else {
        log.info("logs kept in {}", work);
      }
    }
    results.forEach((kind, list) -> System.out.println(line(kind, list)));
    return results.values().stream().flatMap(List::stream).anyMatch(r -> !r.completed()) ? 1 : 0;
  }

  private String line(FailoverKind kind, List<RunResult> list) {
    List<RunResult> done = list.stream().filter(RunResult::completed).toList();
    List<Long> gaps = done.stream().map(RunResult::gapMillis).toList();
    String figures = gaps.isEmpty()
        ? "write_gap_p50_ms=NA write_gap_p99_ms=NA"
        : "write_gap_p50_ms=" + RunAnalysis.percentile(gaps, 50) + " write_gap_p99_ms=" + RunAnalysis.percentile(gaps, 99);
    String line = "failover: kind=" + kind.label() + " runs=" + done.size() + " " + figures
        + " acked_lost=" + done.stream().mapToLong(RunResult::ackedLost).sum()
        + " split_brain_ms=" + done.stream().mapToLong(RunResult::splitBrainMillis).max().orElse(0);
    long failed = list.size() - done.size();
    return (durability ? line + " durability=on" : line) + (failed > 0 ? " failed_runs=" + failed : "");
  }

  private RedisCluster redisCluster(BenchSetup setup) {
    RedisCluster cluster = new RedisCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName(setup.cluster()).withNamespace(setup.namespace()).build());
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(instances);
    if (setup.durability()) {
      DurabilitySpec durability = new DurabilitySpec();
      durability.setMinReplicasToWrite(1);
      spec.setDurability(durability);
    }
    cluster.setSpec(spec);
    return cluster;
  }

  private static String randomHex() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The outcome of one run; {@code completed} false when the cluster did not settle in time. */
  record RunResult(boolean completed, long gapMillis, long ackedLost, long splitBrainMillis) {}

  /** Runs one fault and measures it. */
  private record RunContext(
      BenchController controller, Writer writer, WriteLog writes, RedisLinks links, BenchFirewall firewall) {

    RunResult run(FailoverKind kind, int run) {
      try {
        BenchController.await(controller::settled, SETTLE_TIMEOUT, "the cluster to settle before the run");
        writer.run(kind.label() + "-" + run);
        writes.drain();
        BenchController.sleep(1000);
        String primary = controller.currentPrimary().orElseThrow();
        String primaryIp = controller.podIp(primary).orElseThrow();
        log.info("{} run {}: fault on primary {} ({})", kind.label(), run, primary, primaryIp);
        Instant faultAt = Instant.now();
        long fault = inject(kind, primary, primaryIp);
        BenchController.await(() -> controller.settledSince(faultAt), SETTLE_TIMEOUT,
            "the cluster to settle after " + kind.label());
        BenchController.sleep(1000);
        long end = System.nanoTime();
        WriteLog.Snapshot snapshot = writes.drain();
        String newPrimaryIp = controller.podIp(controller.currentPrimary().orElseThrow()).orElseThrow();
        List<WriteLog.Ack> lost;
        try (StatefulRedisConnection<String, String> connection = links.connect(newPrimaryIp)) {
          lost = RunAnalysis.lost(snapshot.acks(), connection);
        }
        List<WriteLog.Ack> kept = new ArrayList<>(snapshot.acks());
        kept.removeAll(new HashSet<>(lost));
        RunResult result = new RunResult(true,
            RunAnalysis.maxGapMillis(kept, fault - 1_000_000_000L, end),
            lost.size(),
            RunAnalysis.splitBrainMillis(snapshot.accepted(), fault - 1_000_000_000L, end));
        log.info("{} run {}: {} (acks {}, new primary {}); writes accepted, ms after the fault: {}", kind.label(),
            run, result, snapshot.acks().size(), controller.currentPrimary().orElse("?"),
            RunAnalysis.describeStretches(snapshot.accepted(), fault - 1_000_000_000L, end, fault));
        return result;
      } catch (RuntimeException e) {
        log.warn("{} run {} failed: {}", kind.label(), run, e.toString());
        if (firewall != null) {
          firewall.healAll();
        }
        return new RunResult(false, 0, 0, 0);
      }
    }

    /** Injects the fault; returns when it took effect (monotonic nanos). */
    private long inject(FailoverKind kind, String primary, String primaryIp) {
      switch (kind) {
        case POD_KILL -> {
          long at = System.nanoTime();
          controller.forceDeletePod(primary);
          return at;
        }
        case REDIS_KILL -> {
          long at = System.nanoTime();
          if (!controller.killRedisServer(primary)) {
            throw new IllegalStateException("no redis-server process found under the agent of " + primary);
          }
          return at;
        }
        case PARTITION -> {
          firewall.isolate(primaryIp, BenchAddresses.CLIENT_IP);
          long at = System.nanoTime();
          try {
            BenchController.await(() -> !primary.equals(controller.currentPrimary().orElse(primary)),
                Duration.ofSeconds(30), "a new primary during the partition");
            BenchController.sleep(1000);
          } finally {
            firewall.healAll();
          }
          return at;
        }
        case SWITCHOVER -> {
          long at = System.nanoTime();
          log.info("switchover: {}", controller.switchover());
          return at;
        }
        default -> throw new IllegalArgumentException(kind.label());
      }
    }
  }
}
