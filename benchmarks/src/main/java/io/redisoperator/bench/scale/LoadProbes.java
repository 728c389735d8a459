package io.redisoperator.bench.scale;

import static io.redisoperator.bench.scale.ClusterStoreWait.awaitCluster;
import static io.redisoperator.bench.scale.ScaleWorkload.NAMESPACE;
import static io.redisoperator.bench.scale.ScaleWorkload.clusterName;
import static io.redisoperator.bench.scale.ScaleWorkload.entry;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.RedisCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disturbances timed once every cluster is Healthy: simulated agents' changes, one failover,
 * one controller restart. Each is timed from the fleet's change to what the RedisCluster status (or
 * the fleet) shows.
 */
final class LoadProbes {
  private static final Logger log = LoggerFactory.getLogger(LoadProbes.class);

  private final ScaleEnvironment env;
  private final SharedIndexInformer<RedisCluster> watched;
  private final int clusters;

  LoadProbes(ScaleEnvironment env, SharedIndexInformer<RedisCluster> watched, int clusters) {
    this.env = env;
    this.watched = watched;
    this.clusters = clusters;
  }

  /**
   * A replica's Redis dies, then starts again, in {@code changes} clusters spread over the fleet:
   * each time from the fleet's change to the RedisCluster status showing it (the instance's
   * redisUp).
   */
  List<Long> changeSeen(int changes) throws Exception {
    List<Long> samples = new ArrayList<>();
    int step = Math.max(1, clusters / Math.max(1, changes / 2));
    for (int i = 1; i < clusters && samples.size() < changes; i += step) {
      String name = clusterName(i);
      RedisCluster rc = watched.getStore().getByKey(NAMESPACE + "/" + name);
      String replica = ScaleWorkload.replicaOf(rc);
      long start = System.nanoTime();
      env.fleet().killRedis(NAMESPACE, replica);
      awaitCluster(
          watched,
          name,
          c ->
              Boolean.FALSE.equals(
                  entry(c, replica).map(InstanceStatusEntry::getRedisUp).orElse(null)),
          Duration.ofSeconds(60));
      samples.add((System.nanoTime() - start) / 1_000_000);
      start = System.nanoTime();
      env.fleet().restartRedis(NAMESPACE, replica);
      awaitCluster(
          watched,
          name,
          c ->
              Boolean.TRUE.equals(
                  entry(c, replica).map(InstanceStatusEntry::getRedisUp).orElse(null)),
          Duration.ofSeconds(60));
      samples.add((System.nanoTime() - start) / 1_000_000);
    }
    log.info("change seen after (ms): {}", samples);
    return samples;
  }

  /**
   * The primary of the first cluster dies; until the status names another primary that the fleet
   * says serves.
   */
  long failover() throws Exception {
    String name = clusterName(0);
    String primary =
        watched.getStore().getByKey(NAMESPACE + "/" + name).getStatus().getCurrentPrimary();
    long start = System.nanoTime();
    env.fleet().killRedis(NAMESPACE, primary);
    RedisCluster after =
        awaitCluster(
            watched,
            name,
            c ->
                c.getStatus() != null
                    && c.getStatus().getCurrentPrimary() != null
                    && !primary.equals(c.getStatus().getCurrentPrimary()),
            Duration.ofSeconds(120));
    String promoted = after.getStatus().getCurrentPrimary();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"primary".equals(env.fleet().pod(NAMESPACE, promoted).path("role").asText())) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(promoted + " never became primary");
      }
      Thread.sleep(20);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    log.info("failover {} -> {} in {} ms", primary, promoted, millis);
    env.fleet().restartRedis(NAMESPACE, primary);
    return millis;
  }

  /**
   * How one restart went: until every pod was polled again, and what the new controller wrote.
   * {@code passes} and {@code polls}: the new controller's reconcile passes and status polls until
   * every pod was polled, {@code controllerCpuSeconds} its CPU by then (-1: not read), {@code
   * memory} its memory then.
   */
  record Restart(
      boolean graceful,
      double allPolledSeconds,
      double stopSeconds,
      double readySeconds,
      double leaseSeconds,
      long writes,
      long passes,
      long polls,
      long pollsOver250ms,
      long pollsOver800ms,
      double controllerCpuSeconds,
      double fleetCpuCores,
      ControllerMemory memory) {}

  /** The controller's leader Lease, as the sandbox runs it (POD_NAMESPACE, the default name). */
  private static final String LEASE_NAMESPACE = "redis-operator-system";

  private static final String LEASE_NAME = "redis-operator-leader";

  /**
   * The controller stopped and started again ({@code placement}), until the fleet has been asked
   * for the status of every pod; {@code allPolledSeconds} -1 when that took longer than {@code
   * timeout}. {@code graceful}: SIGTERM (as a rollout stops a pod; the controller releases its
   * Lease), timed from the signal; otherwise SIGKILL (a crash: the new controller waits for the old
   * Lease to run out). {@code writes}: the controller's API writes (Lease apart) from the stop
   * until every pod was polled, plus {@code settle} after it: a restart that only confirms what the
   * status says writes nothing.
   */
  Restart restartAllPolled(
      ControllerPlacement placement, boolean graceful, Duration timeout, Duration settle)
      throws Exception {
    int pods = env.fleet().stats().path("pods").asInt();
    Instant from = Instant.now();
    long start = System.nanoTime();
    if (graceful) {
      env.controller().stop(Duration.ofSeconds(30));
    } else {
      env.controller().kill();
    }
    double stopSeconds = (System.nanoTime() - start) / 1e9;
    env.fleet().mark();
    double fleetCpu0 = ProcessStats.cpuSeconds(env.fleet().pid());
    placement.start(env);
    double readySeconds = (System.nanoTime() - start) / 1e9;
    long deadline = System.nanoTime() + timeout.toNanos();
    double allPolled;
    double leaseSeconds = -1;
    long nextProgress = System.nanoTime();
    while (true) {
      if (leaseSeconds < 0 && leaseHolder().startsWith(env.controller().identityPrefix())) {
        leaseSeconds = (System.nanoTime() - start) / 1e9;
      }
      JsonNode stats = env.fleet().stats();
      if (System.nanoTime() >= nextProgress) {
        // How the first polls progress: the pace, and whether it stalls.
        log.info(
            "restart: {} of {} pods polled {} s after the {}",
            stats.path("seenSinceMark").asInt(),
            pods,
            String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9),
            graceful ? "signal" : "kill");
        nextProgress += Duration.ofSeconds(5).toNanos();
      }
      if (stats.path("seenSinceMark").asInt() >= pods) {
        allPolled = (System.nanoTime() - start) / 1e9;
        break;
      }
      if (System.nanoTime() > deadline) {
        log.warn(
            "after the restart only {} of {} pods were polled",
            stats.path("seenSinceMark").asInt(),
            pods);
        allPolled = -1;
        break;
      }
      Thread.sleep(100);
    }
    double fleetCpuCores =
        (ProcessStats.cpuSeconds(env.fleet().pid()) - fleetCpu0)
            / ((System.nanoTime() - start) / 1e9);
    // Where the new controller's time went until then: its passes and polls, its CPU by thread.
    long pid = env.controller().pid().orElseThrow();
    ControllerCounters counters = ControllerCounters.read(env.controller().metricsUrl());
    double controllerCpu = ProcessStats.cpuSeconds(pid);
    ControllerMemory memory = ControllerMemory.read(env.jcmd(), pid);
    log.info(
        "restart ({}): controller CPU {} s by thread until every pod was polled: {}",
        graceful ? "SIGTERM" : "SIGKILL",
        String.format(java.util.Locale.ROOT, "%.2f", controllerCpu),
        ThreadCpu.format(ThreadCpu.byGroup(ProcessStats.threadDump(env.jcmd(), pid)), 0.1));
    Thread.sleep(settle.toMillis());
    AuditCounts writes = AuditCounts.read(env.controlPlane().auditLog(), from, Instant.now());
    log.info(
        "restart ({}): stopped in {} s, ready {} s, Lease held {} s, every pod polled {} s after"
            + " the {}; writes {}",
        graceful ? "SIGTERM" : "SIGKILL",
        stopSeconds,
        readySeconds,
        leaseSeconds,
        allPolled,
        graceful ? "signal" : "kill",
        writes.byResource());
    return new Restart(
        graceful,
        allPolled,
        stopSeconds,
        readySeconds,
        leaseSeconds,
        writes.nonLeaseWrites(),
        counters.passes(),
        counters.polls(),
        counters.pollsOver250ms(),
        counters.pollsOver800ms(),
        controllerCpu,
        fleetCpuCores,
        memory);
  }

  private String leaseHolder() {
    Lease lease = env.client().leases().inNamespace(LEASE_NAMESPACE).withName(LEASE_NAME).get();
    return lease == null || lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null
        ? ""
        : lease.getSpec().getHolderIdentity();
  }
}
