package io.redisoperator.bench.scale;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits on the benchmark's informer of the RedisClusters (not on LISTs: a thousand clusters polled
 * would be load the benchmark measures). Polls the local store often, so a change is timed within
 * milliseconds of its arrival.
 */
final class ClusterStoreWait {
  private static final Logger log = LoggerFactory.getLogger(ClusterStoreWait.class);

  private ClusterStoreWait() {}

  /** The cluster once it meets {@code condition}. */
  static RedisCluster awaitCluster(
      SharedIndexInformer<RedisCluster> watched,
      String name,
      Predicate<RedisCluster> condition,
      Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      RedisCluster c = watched.getStore().getByKey(ScaleWorkload.NAMESPACE + "/" + name);
      if (c != null && condition.test(c)) {
        return c;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(name + ": condition not met within " + timeout);
      }
      Thread.sleep(5);
    }
  }

  /** How many stuck clusters' statuses a timed-out wait logs. */
  static final int STATUSES_LOGGED = 10;

  /**
   * One line per cluster that is not Healthy, at most {@code limit}, each with its whole status:
   * what a run that timed out leaves to find out why (its phase reason, conditions and each
   * instance's entry), since the controller's log names no poll.
   */
  static List<String> notHealthy(List<RedisCluster> clusters, int limit) {
    List<RedisCluster> stuck =
        clusters.stream()
            .filter(c -> !ClusterWait.isHealthy(c))
            .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
            .toList();
    List<String> lines = new ArrayList<>();
    lines.add(stuck.size() + " of " + clusters.size() + " clusters not Healthy");
    for (RedisCluster c : stuck.subList(0, Math.min(limit, stuck.size()))) {
      lines.add(
          "not Healthy: "
              + c.getMetadata().getName()
              + " generation="
              + c.getMetadata().getGeneration()
              + " status="
              + statusJson(c));
    }
    return lines;
  }

  private static String statusJson(RedisCluster c) {
    try {
      return Json.mapper().writeValueAsString(c.getStatus());
    } catch (JsonProcessingException e) {
      return "(not serialisable: " + e.getMessage() + ")";
    }
  }

  /** Until every cluster in the store meets {@code condition}; logs progress every 15 s. */
  static void awaitStore(
      SharedIndexInformer<RedisCluster> watched,
      Predicate<List<RedisCluster>> condition,
      Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextLog = 0;
    while (!condition.test(watched.getStore().list())) {
      if (System.nanoTime() > deadline) {
        notHealthy(watched.getStore().list(), STATUSES_LOGGED).forEach(log::warn);
        throw new TimeoutException("clusters not all Healthy within " + timeout);
      }
      if (System.nanoTime() > nextLog) {
        long healthy = watched.getStore().list().stream().filter(ClusterWait::isHealthy).count();
        log.info("{} of {} clusters Healthy", healthy, watched.getStore().list().size());
        nextLog = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      }
      Thread.sleep(100);
    }
  }
}
