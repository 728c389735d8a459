package io.redisoperator.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.fault.Link;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Common shape of a scenario: a fresh environment with a Healthy 3-instance cluster and keys
 * written through -leader and replicated everywhere; the scenario injects its fault; then the
 * invariants are checked and one report line is printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(EnvironmentAvailable.class)
abstract class ScenarioIT {
  static final String NAMESPACE = "default";
  static final String CLUSTER = "e2e";
  static final int INSTANCES = 3;
  static final int PRE_FAULT_KEYS = 300;

  ClusterEnvironment env;
  RedisClusterFixture cluster;
  final Map<String, String> preFaultKeys = new LinkedHashMap<>();
  long preFaultOffset;
  String preFaultReplId;

  /**
   * Set by a scenario that restarts every instance cold (hibernation): the replication history may
   * restart.
   */
  boolean coldRestartExpected;

  String initialPrimary;

  /**
   * Set by a scenario that restarts the API server: requests refused while it starts are not held
   * against anyone.
   */
  java.time.Instant apiServerDownFrom;

  java.time.Instant apiServerBackAt;

  /** The name in the chaos report line. */
  abstract String scenario();

  /** What a scenario changes in the cluster's spec before it is created (nothing by default). */
  void customize(RedisClusterSpec spec) {}

  /** Runs only where {@link EnvironmentAvailable} found the selected environment usable. */
  @BeforeAll
  void startHealthyCluster() throws Exception {
    try {
      setUpCluster(EnvironmentKind.selected());
    } catch (Exception | AssertionError e) {
      // make chaos prints one line per scenario, also when the starting point could not be reached.
      new ScenarioReport(scenario(), false, -1, 0, -1, "setup: " + e.getMessage()).publish();
      throw e;
    }
  }

  /**
   * Where the scenario runs (the selected environment with the operator as it installs it, by
   * default).
   */
  ClusterEnvironment startEnvironment(EnvironmentKind kind) {
    return kind.start(scenario());
  }

  private void setUpCluster(EnvironmentKind kind) throws Exception {
    env = startEnvironment(kind);
    cluster = new RedisClusterFixture(env, NAMESPACE, CLUSTER);
    RedisCluster healthy = cluster.create(INSTANCES, this::customize);
    initialPrimary = healthy.getStatus().getCurrentPrimary();
    try (StatefulRedisConnection<String, String> c = cluster.connect(cluster.leader())) {
      for (int i = 0; i < PRE_FAULT_KEYS; i++) {
        c.sync().set("pre:" + i, "value-" + i);
        preFaultKeys.put("pre:" + i, "value-" + i);
      }
      long replicas = c.sync().waitForReplication(INSTANCES - 1, 10_000);
      assertTrue(
          replicas >= INSTANCES - 1,
          "pre-fault keys replicated to every replica, WAIT said " + replicas);
      Map<String, String> replication = RedisClusterFixture.parseInfo(c.sync().info("replication"));
      preFaultOffset = Long.parseLong(replication.get("master_repl_offset"));
      preFaultReplId = replication.get("master_replid");
    }
  }

  @AfterAll
  void stopEnvironment() {
    if (cluster != null) {
      cluster.close();
    }
    if (env != null) {
      env.close();
    }
  }

  /**
   * Waits until the cluster is Healthy, {@code extra} holds, and the writer has had a write
   * acknowledged after the fault; returns the seconds since the fault.
   */
  double awaitRecovery(
      long faultNanos, ContinuousWriter writer, Predicate<RedisCluster> extra, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      RedisCluster c = cluster.get();
      if (ClusterWait.isHealthy(c)
          && extra.test(c)
          && (writer == null || writer.ackedSince(faultNanos))) {
        return (System.nanoTime() - faultNanos) / 1e9;
      }
      sleep(200);
    }
    return -1;
  }

  /** Checks the common invariants; publishes and asserts the report. */
  void finish(
      long faultNanos,
      double recoverySeconds,
      ContinuousWriter writer,
      List<String> extraProblems,
      boolean ackedLossIsFailure) {
    List<String> problems = new ArrayList<>(extraProblems);
    long gap = writer == null ? -1 : writer.maxGapMillisSince(faultNanos);
    if (writer != null) {
      writer.close();
    }
    if (recoverySeconds < 0) {
      problems.add("no recovery");
    }
    problems.addAll(Invariants.singleAgreedPrimary(cluster, Duration.ofSeconds(30)));
    long preLost = Invariants.missingKeys(cluster, preFaultKeys);
    if (preLost > 0) {
      problems.add(preLost + " pre-fault keys missing");
    }
    long ackedLost = writer == null ? 0 : Invariants.missingKeys(cluster, writer.acked());
    if (ackedLost > 0 && ackedLossIsFailure) {
      problems.add(ackedLost + " acknowledged writes lost");
    }
    problems.addAll(
        Invariants.replicasConverge(cluster, cluster.get().getSpec().getInstances() - 1));
    problems.addAll(
        Invariants.offsetNotRegressed(
            cluster, preFaultReplId, preFaultOffset, coldRestartExpected));
    // The operator and the agents run with exactly the chart's and the operator's RBAC: nothing may
    // be refused.
    List<String> refused =
        apiServerDownFrom == null
            ? env.refusedWorkloadRequests()
            : env.refusedWorkloadRequestsOutside(apiServerDownFrom, apiServerBackAt);
    if (!refused.isEmpty()) {
      problems.add(refused.size() + " API requests refused, first: " + refused.get(0));
    }
    ScenarioReport report =
        new ScenarioReport(
            scenario(),
            problems.isEmpty(),
            gap,
            ackedLost,
            recoverySeconds,
            String.join("; ", problems));
    report.publish();
    assertTrue(problems.isEmpty(), report.line() + " (logs: " + env.logsLocation() + ")");
  }

  /**
   * What a partition scenario checks while the partition holds; it adds what it finds wrong to
   * {@code problems}.
   */
  @FunctionalInterface
  interface DuringPartition {
    void check(InetSocketAddress oldPrimaryRedis, List<String> problems);
  }

  /**
   * The shape the partition scenarios share: skipped (saying why) where partitions are impossible;
   * writes through -leader; cuts {@code links} of the initial primary; runs the scenario's checks
   * while the partition holds; heals; then waits for every pod Ready and checks the invariants.
   * Acknowledged writes the isolated primary took after the cut may legitimately be lost, so they
   * are reported, not failed on.
   */
  void runPartitionScenario(Set<Link> links, DuringPartition during) {
    var reason = env.faults().partitionUnavailableReason();
    reason.ifPresent(r -> ScenarioReport.skipped(scenario(), r).publish());
    Assumptions.assumeTrue(reason.isEmpty());
    // Resolved before the fault, through the environment: on a real cluster pod IPs are not
    // routable from here.
    InetSocketAddress oldPrimaryRedis =
        env.podAddress(cluster.podIp(initialPrimary), AgentApi.REDIS_PORT);
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    List<String> problems = new ArrayList<>();
    try (FaultInjector.Partition partition =
        env.faults().isolate(NAMESPACE, initialPrimary, links)) {
      during.check(oldPrimaryRedis, problems);
    }
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c -> cluster.pods().values().stream().allMatch(PodReadiness::isReady),
            Duration.ofMinutes(3));
    finish(fault, recovery, writer, problems, false);
  }

  /**
   * Polls from the test thread (never inside a watch callback: API calls there would block the
   * client).
   */
  /**
   * As kubectl annotate: a merge patch, no resourceVersion, so the operator's concurrent writes
   * cause no conflict.
   */
  void annotate(String key, String value) {
    env.client()
        .resources(RedisCluster.class)
        .inNamespace(NAMESPACE)
        .withName(CLUSTER)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            io.fabric8.kubernetes.client.utils.Serialization.asJson(
                Map.of("metadata", Map.of("annotations", Map.of(key, value)))));
  }

  /**
   * True once the condition holds, false if it still does not when the time is up (the scenario
   * reports it).
   */
  static boolean pollUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
    try {
      await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(250))
          .until(condition::getAsBoolean);
      return true;
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return false;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
