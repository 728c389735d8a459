package io.redisoperator.bench.scale;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.time.Duration;
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
