package io.redisoperator.bench;

import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.fault.Link;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects one fault on the current primary through the fault injector and measures what the writer
 * and probes saw.
 */
final class FaultRun {
  private static final Logger log = LoggerFactory.getLogger(FaultRun.class);
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);

  /**
   * The controller promotes only after the self-fencing bound; a partition is held until then and a
   * second more.
   */
  private static final Duration NEW_PRIMARY_TIMEOUT = Duration.ofSeconds(60);

  private static final long MARGIN_MILLIS = 1000;

  /**
   * The outcome of one run; {@code completed} false when the cluster did not settle in time. {@code
   * lossWindowMillis}: the lost writes divided by the writer's acknowledged rate before the fault
   * (-1: no rate measured).
   */
  record Result(
      boolean completed,
      long gapMillis,
      long ackedLost,
      long splitBrainMillis,
      long lossWindowMillis) {}

  private final BenchCluster cluster;
  private final FaultInjector faults;
  private final Writer writer;
  private final WriteLog writes;
  private final RedisLinks links;
  private final String namespace;

  FaultRun(
      BenchCluster cluster,
      FaultInjector faults,
      Writer writer,
      WriteLog writes,
      RedisLinks links,
      String namespace) {
    this.cluster = cluster;
    this.faults = faults;
    this.writer = writer;
    this.writes = writes;
    this.links = links;
    this.namespace = namespace;
  }

  Result run(FailoverKind kind, int run) {
    try {
      awaitSettled(Long.MIN_VALUE, null, false, "the cluster to settle before the run");
      writer.run(kind.label() + "-" + run);
      writes.drain();
      Polling.sleep(MARGIN_MILLIS);
      cluster.drainEvents();
      String primary = cluster.currentPrimary().orElseThrow();
      String primaryIp = cluster.podIp(primary).orElseThrow();
      log.info("{} run {}: fault on primary {} ({})", kind.label(), run, primary, primaryIp);
      long fault = inject(kind, primary);
      awaitSettled(
          fault, primary, kind.expectsNewPrimary(), "the cluster to settle after " + kind.label());
      long end = System.nanoTime();
      WriteLog.Snapshot snapshot = writes.drain();
      String newPrimary = cluster.currentPrimary().orElseThrow();
      String newPrimaryIp = cluster.podIp(newPrimary).orElseThrow();
      List<WriteLog.Ack> lost;
      try (StatefulRedisConnection<String, String> connection =
          links.connect(new InetSocketAddress(newPrimaryIp, AgentApi.REDIS_PORT))) {
        lost = RunAnalysis.lost(snapshot.acks(), connection);
      }
      List<WriteLog.Ack> kept = new ArrayList<>(snapshot.acks());
      kept.removeAll(new HashSet<>(lost));
      long from = fault - MARGIN_MILLIS * 1_000_000;
      Result result =
          new Result(
              true,
              RunAnalysis.maxGapMillis(kept, from, end),
              lost.size(),
              RunAnalysis.splitBrainMillis(snapshot.accepted(), from, end),
              RunAnalysis.lossWindowMillis(lost.size(), snapshot.acks(), from, fault));
      log.info(
          "{} run {}: {} (acks {}, new primary {} {}); acks by node/replid: {}",
          kind.label(),
          run,
          result,
          snapshot.acks().size(),
          newPrimary,
          newPrimaryIp,
          acksByLanding(snapshot.acks()));
      log.info(
          "{} run {}: writes accepted, ms after the fault: {}",
          kind.label(),
          run,
          RunAnalysis.describeStretches(snapshot.accepted(), from, end, fault));
      log.info(
          "{} run {}: timeline, ms after the fault: {}",
          kind.label(),
          run,
          timeline(fault, snapshot.acks()));
      return result;
    } catch (RuntimeException e) {
      log.warn(
          "{} run {} failed: {} (settlement: {})",
          kind.label(),
          run,
          e.toString(),
          cluster.settlementProblem().orElse("settled"));
      return new Result(false, 0, 0, 0, 0);
    }
  }

  /** Injects the fault; returns when it took effect (monotonic nanos). */
  private long inject(FailoverKind kind, String primary) {
    switch (kind) {
      case POD_KILL -> {
        long at = System.nanoTime();
        faults.forceDeletePod(namespace, primary);
        return at;
      }
      case REDIS_KILL, SENTINEL_KILL -> {
        long at = System.nanoTime();
        faults.killRedisServer(namespace, primary);
        return at;
      }
      case PARTITION -> {
        try (FaultInjector.Partition partition =
            faults.isolate(
                namespace, primary, EnumSet.of(Link.CONTROLLER, Link.API_SERVER, Link.PEERS))) {
          long at = System.nanoTime();
          Polling.await(
              () -> !primary.equals(cluster.currentPrimary().orElse(primary)),
              NEW_PRIMARY_TIMEOUT,
              "a new primary during the partition");
          Polling.sleep(MARGIN_MILLIS);
          return at;
        }
      }
      case SWITCHOVER, SENTINEL_SWITCHOVER -> {
        String target =
            SwitchoverTarget.choose(cluster.name(), cluster.replicaOffsets(links))
                .orElseThrow(() -> new IllegalStateException("no replica to switch over to"));
        long at = System.nanoTime();
        cluster.requestSwitchover(target);
        log.info("switchover requested to {}", target);
        return at;
      }
      default -> throw new IllegalArgumentException(kind.label());
    }
  }

  /**
   * Waits until the cluster has settled after the fault (or now, when {@code fault} is
   * Long.MIN_VALUE): settled as the API shows it, a new primary when the fault must produce one,
   * and the writer's latest acknowledged write taken by the current primary after the fault; then
   * holds that for a margin, so a failover that starts late is not cut short.
   */
  private void awaitSettled(long fault, String oldPrimary, boolean newPrimary, String what) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      Polling.await(() -> settledAfter(fault, oldPrimary, newPrimary), left, what);
      String primary = cluster.currentPrimary().orElseThrow();
      Polling.sleep(MARGIN_MILLIS);
      if (settledAfter(fault, oldPrimary, newPrimary)
          && primary.equals(cluster.currentPrimary().orElse(""))) {
        return;
      }
    }
  }

  private boolean settledAfter(long fault, String oldPrimary, boolean newPrimary) {
    if (cluster.settlementProblem().isPresent()) {
      return false;
    }
    Optional<String> primary = cluster.currentPrimary();
    if (primary.isEmpty() || (newPrimary && primary.get().equals(oldPrimary))) {
      return false;
    }
    Optional<String> primaryIp = cluster.podIp(primary.get());
    Optional<WriteLog.Ack> latest = writes.latest();
    return primaryIp.isPresent()
        && latest.isPresent()
        && latest.get().nanos() > fault
        && primaryIp.get().equals(latest.get().node());
  }

  private static String acksByLanding(List<WriteLog.Ack> acks) {
    Map<String, Long> counts =
        acks.stream()
            .collect(
                Collectors.groupingBy(
                    a -> a.node() + "/" + shortId(a.replId()),
                    TreeMap::new,
                    Collectors.counting()));
    return counts.toString();
  }

  private static String shortId(String replId) {
    return replId.length() > 8 ? replId.substring(0, 8) : replId;
  }

  /**
   * API changes and the writer's last ack before / first ack after its longest silence, relative to
   * the fault.
   */
  private String timeline(long fault, List<WriteLog.Ack> acks) {
    List<BenchCluster.Event> entries = new ArrayList<>(cluster.drainEvents());
    List<WriteLog.Ack> sorted =
        acks.stream().sorted(Comparator.comparingLong(WriteLog.Ack::nanos)).toList();
    int longestAt = 0;
    for (int i = 1; i < sorted.size(); i++) {
      long gap = sorted.get(i).nanos() - sorted.get(i - 1).nanos();
      if (longestAt == 0
          || gap > sorted.get(longestAt).nanos() - sorted.get(longestAt - 1).nanos()) {
        longestAt = i;
      }
    }
    if (longestAt > 0) {
      WriteLog.Ack before = sorted.get(longestAt - 1);
      WriteLog.Ack after = sorted.get(longestAt);
      entries.add(
          new BenchCluster.Event(before.nanos(), "last ack before the gap on " + before.node()));
      entries.add(
          new BenchCluster.Event(after.nanos(), "first ack after the gap on " + after.node()));
    }
    return entries.stream()
        .sorted(Comparator.comparingLong(BenchCluster.Event::nanos))
        .map(e -> millis(e.nanos(), fault) + " " + e.what())
        .collect(Collectors.joining("; "));
  }

  private static String millis(long nanos, long origin) {
    return Long.toString((nanos - origin) / 1_000_000);
  }
}
