package io.redisoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.crd.Mode;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Common shape of the sentinel-mode scenarios: a Healthy 3-instance cluster in {@code mode:
 * sentinel} whose three sentinels agree with the record; each fault runs under a {@link
 * ContinuousWriter#throughSentinel Sentinel-discovering writer} (Sentinel discovery through the
 * -sentinel Service); every Ready sentinel (a majority at least) must report each new record within
 * {@link #FOLLOW_BOUND}, all three must report it once the cluster has recovered, the sentinels
 * must know exactly the live pods ({@link SentinelChecks#consistent}), and the chaos invariants
 * must hold, with no acknowledged write lost (acknowledged means a replica had it, {@code WAIT 1}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(EnvironmentAvailable.class)
abstract class SentinelScenarioIT {
  static final String NAMESPACE = "default";
  static final String CLUSTER = "e2e";
  static final int INSTANCES = 3;
  static final int PRE_FAULT_KEYS = 300;

  /**
   * Every sentinel reports a newly recorded primary within this (the agents follow the record from
   * a watch).
   */
  static final Duration FOLLOW_BOUND = Duration.ofSeconds(5);

  /**
   * After recovery, dead addresses are forgotten and new pods learned within this: the agents'
   * check runs every 500 ms, resets are at least 10 s apart, sentinels announce themselves every 2
   * s.
   */
  static final Duration CONSISTENT_BOUND = Duration.ofSeconds(45);

  ClusterEnvironment env;
  RedisClusterFixture cluster;
  SentinelAccess sentinels;
  final Map<String, String> preFaultKeys = new LinkedHashMap<>();
  String preFaultReplId;
  long preFaultOffset;
  String step = "setup";

  /** The prefix of the report names; each step adds its own name. */
  abstract String scenario();

  /** The mode the cluster is created in. */
  Mode initialMode() {
    return Mode.SENTINEL;
  }

  /** What a scenario changes in the cluster's spec before it is created (nothing by default). */
  void customize(RedisClusterSpec spec) {}

  String reportName() {
    return scenario() + "-" + step;
  }

  @BeforeAll
  void startHealthyCluster() throws Exception {
    try {
      env = EnvironmentKind.selected().start(getClass().getSimpleName());
      cluster = new RedisClusterFixture(env, NAMESPACE, CLUSTER);
      cluster.create(
          INSTANCES,
          spec -> {
            spec.setMode(initialMode());
            customize(spec);
          });
      sentinels = new SentinelAccess(env, cluster);
      if (initialMode() == Mode.SENTINEL) {
        List<String> problems =
            Invariants.eventually(
                Duration.ofMinutes(2), () -> SentinelChecks.consistent(cluster, sentinels));
        assertTrue(problems.isEmpty(), "sentinels never agreed with the record: " + problems);
      }
      try (StatefulRedisConnection<String, String> c = cluster.connect(cluster.leader())) {
        for (int i = 0; i < PRE_FAULT_KEYS; i++) {
          c.sync().set("pre:" + i, "value-" + i);
          preFaultKeys.put("pre:" + i, "value-" + i);
        }
        long replicas = c.sync().waitForReplication(INSTANCES - 1, 10_000);
        assertTrue(
            replicas >= INSTANCES - 1,
            "pre-fault keys replicated to every replica, WAIT said " + replicas);
        Map<String, String> replication =
            RedisClusterFixture.parseInfo(c.sync().info("replication"));
        preFaultOffset = Long.parseLong(replication.get("master_repl_offset"));
        preFaultReplId = replication.get("master_replid");
      }
    } catch (Exception | AssertionError e) {
      new ScenarioReport(reportName(), false, -1, 0, -1, "setup: " + e.getMessage()).publish();
      throw e;
    }
  }

  @AfterAll
  void stopEnvironment() {
    if (sentinels != null) {
      sentinels.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (env != null) {
      env.close();
    }
  }

  /**
   * A fault: injected once; told when the record names a new primary; closed (healed) before the
   * checks.
   */
  interface Fault extends AutoCloseable {
    void inject();

    default void recordChanged(String previousPrimary, String newPrimary, List<String> problems) {}

    @Override
    default void close() {}
  }

  /**
   * The primary's pod is force-deleted; settled once another primary is recorded and the pod is
   * back as a new incarnation. {@code after} as in {@link #runFault(String, Fault, Predicate,
   * java.util.function.LongFunction)}.
   */
  void runPrimaryPodKilled(java.util.function.LongFunction<List<String>> after) {
    String old = primary();
    String oldUid = cluster.pods().get(old).getMetadata().getUid();
    runFault(
        "primary-pod-killed",
        () -> env.faults().forceDeletePod(NAMESPACE, old),
        c ->
            !old.equals(c.getStatus().getCurrentPrimary())
                && dataPodsReady()
                && !oldUid.equals(cluster.pods().get(old).getMetadata().getUid()),
        after);
  }

  /**
   * Runs {@code fault} under a Sentinel-discovering writer and checks everything; {@code settled}
   * says when the cluster is back (besides Healthy, a write acknowledged after the fault, and the
   * sentinels reporting the record).
   */
  void runFault(String stepName, Fault injected, Predicate<RedisCluster> settled) {
    runFault(stepName, injected, settled, faultNanos -> List.of());
  }

  /**
   * As above; {@code after} adds what the step checks once the cluster has recovered (given the
   * fault's time).
   */
  void runFault(
      String stepName,
      Fault injected,
      Predicate<RedisCluster> settled,
      java.util.function.LongFunction<List<String>> after) {
    step = stepName;
    List<String> problems = new ArrayList<>();
    List<String> before =
        Invariants.eventually(
            Duration.ofMinutes(2),
            () -> {
              List<String> p = new ArrayList<>();
              if (!ClusterWait.isHealthy(cluster.get())) {
                p.add("cluster not Healthy before the fault");
              }
              p.addAll(SentinelChecks.consistent(cluster, sentinels));
              if (p.isEmpty()) {
                p.addAll(SentinelChecks.refuseUnauthenticatedChanges(sentinels));
              }
              return p;
            });
    if (!before.isEmpty()) {
      report(-1, 0, -1, List.of("before the fault: " + before));
      return;
    }
    ContinuousWriter writer = ContinuousWriter.throughSentinel(sentinels, step + ":").start();
    if (!ScenarioIT.pollUntil(() -> writer.ackedCount() >= 50, Duration.ofSeconds(30))) {
      problems.add(
          "the writer got no acknowledged writes through Sentinel before the fault: "
              + writer.lastError());
    }
    String record = cluster.get().getStatus().getCurrentPrimary();
    long fault = System.nanoTime();
    long worstFollowMillis = 0;
    double recovery = -1;
    try (Fault f = injected) {
      f.inject();
      long changedAt = System.nanoTime();
      boolean followed = true;
      long deadline = fault + Duration.ofMinutes(6).toNanos();
      while (System.nanoTime() < deadline) {
        RedisCluster c = cluster.get();
        String now = c.getStatus() == null ? null : c.getStatus().getCurrentPrimary();
        if (!Objects.equals(now, record)) {
          if (!followed) {
            problems.add(
                "the record moved on from " + record + " before every sentinel reported it");
          }
          f.recordChanged(record, now, problems);
          record = now;
          changedAt = System.nanoTime();
          followed = false;
        }
        if (!followed
            && SentinelChecks.readySentinelsReportRecordedPrimary(cluster, sentinels).isEmpty()) {
          followed = true;
          long millis = (System.nanoTime() - changedAt) / 1_000_000;
          worstFollowMillis = Math.max(worstFollowMillis, millis);
          if (millis > FOLLOW_BOUND.toMillis()) {
            problems.add(
                "sentinels reported " + record + " " + millis + " ms after it was recorded");
          }
        }
        if (followed
            && ClusterWait.isHealthy(c)
            && settled.test(c)
            && writer.ackedSince(fault)
            && SentinelChecks.reportRecordedPrimary(cluster, sentinels).isEmpty()) {
          recovery = (System.nanoTime() - fault) / 1e9;
          break;
        }
        ScenarioIT.sleep(200);
      }
    }
    long gap = writer.maxGapMillisSince(fault);
    writer.close();
    if (recovery < 0) {
      problems.add("no recovery");
    }
    problems.addAll(
        Invariants.eventually(
            CONSISTENT_BOUND, () -> SentinelChecks.consistent(cluster, sentinels)));
    problems.addAll(after.apply(fault));
    problems.addAll(Invariants.singleAgreedPrimary(cluster, Duration.ofSeconds(30)));
    long preLost = Invariants.missingKeys(cluster, preFaultKeys);
    if (preLost > 0) {
      problems.add(preLost + " pre-fault keys missing");
    }
    long ackedLost = Invariants.missingKeys(cluster, writer.acked());
    if (ackedLost > 0) {
      problems.add(ackedLost + " acknowledged writes lost");
    }
    problems.addAll(Invariants.replicasConverge(cluster, INSTANCES - 1));
    problems.addAll(Invariants.offsetNotRegressed(cluster, preFaultReplId, preFaultOffset, false));
    System.out.println(
        String.format(
            Locale.ROOT,
            "sentinel: scenario=%s sentinel_follow_ms=%d discoveries=%d acked=%d",
            reportName(),
            worstFollowMillis,
            writer.connections(),
            writer.ackedCount()));
    report(gap, ackedLost, recovery, problems);
  }

  void report(long gap, long ackedLost, double recovery, List<String> problems) {
    ScenarioReport report =
        new ScenarioReport(
            reportName(),
            problems.isEmpty(),
            gap,
            ackedLost,
            recovery,
            String.join("; ", problems));
    report.publish();
    assertTrue(problems.isEmpty(), report.line() + " (logs: " + env.logsLocation() + ")");
  }

  String primary() {
    return cluster.get().getStatus().getCurrentPrimary();
  }

  /** Data pods all Ready, {@code INSTANCES} of them. */
  boolean dataPodsReady() {
    var pods = cluster.pods();
    return pods.size() == INSTANCES && pods.values().stream().allMatch(PodReadiness::isReady);
  }
}
