package io.redisoperator.sandbox.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each served pod's status as the fleet owns it ({@link ServedPodStatus}), as a kubelet's
 * status manager does: writes it once the pod is served, and writes it back when another writer
 * changed it. The one that does is the node lifecycle controller: when it judges a node's
 * heartbeats missed it marks the node's pods not Ready, and nothing but their kubelet makes them
 * Ready again. That happens only while the pod's node is Ready: the controller marks the pods of a
 * node it holds unreachable again on every change, so writing back earlier would be a fight; the
 * node's return to Ready ({@link #nodeReady}) restores its pods.
 *
 * <p>One write per departure: a pod whose write is under way gets no second one, only a fresh look
 * at its latest version once the write is done; a conflict or a failure is retried after a back-off
 * ({@value #FIRST_BACKOFF_MILLIS} ms doubling to {@value #MAX_BACKOFF_MILLIS} ms) from the version
 * the informer holds by then, and a version no newer than the fleet's own last write is not judged
 * (the informer has not caught up).
 */
final class PodStatusSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodStatusSync.class);
  static final long FIRST_BACKOFF_MILLIS = 200;
  static final long MAX_BACKOFF_MILLIS = 10_000;

  /** One served pod incarnation; its fields change only under its write (see {@link #writing}). */
  private static final class Served {
    final String uid;
    final String node;
    final String ip;
    final String since;

    /** The resourceVersion of the fleet's last status write; null before the first. */
    volatile String written;

    Served(String uid, String node, String ip, String since) {
      this.uid = uid;
      this.node = node;
      this.ip = ip;
      this.since = since;
    }
  }

  private final FleetPodWriter writer;
  private final String nodeIp;
  private final Executor writers;
  private final Function<String, Pod> latest;
  private final Predicate<String> nodeIsReady;
  private final FleetCounters counters;
  private final LongSupplier millis;
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fleet-status-retry");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Served> served = new ConcurrentHashMap<>();

  /** Pods with a write under way (or waiting for its retry). */
  private final Set<String> writing = ConcurrentHashMap.newKeySet();

  /** Pods that changed while their write was under way: looked at again once it is done. */
  private final Set<String> lookAgain = ConcurrentHashMap.newKeySet();

  /**
   * @param latest the informer's latest version of a pod by namespace/name (null: gone)
   * @param nodeIsReady whether a node's Ready condition is True now
   */
  PodStatusSync(
      FleetPodWriter writer,
      String nodeIp,
      Executor writers,
      Function<String, Pod> latest,
      Predicate<String> nodeIsReady,
      FleetCounters counters,
      LongSupplier millis) {
    this.writer = writer;
    this.nodeIp = nodeIp;
    this.writers = writers;
    this.latest = latest;
    this.nodeIsReady = nodeIsReady;
    this.counters = counters;
    this.millis = millis;
  }

  /** The pod is served at {@code ip} from now: its first status is written. */
  void served(Pod pod, String ip) {
    String key = key(pod);
    served.put(key, new Served(pod.getMetadata().getUid(), pod.getSpec().getNodeName(), ip, now()));
    request(key);
  }

  /** A version of a pod the informer delivered: written back if it departs from the fleet's. */
  void observed(Pod pod) {
    Served s = served.get(key(pod));
    if (s != null
        && s.uid.equals(pod.getMetadata().getUid())
        && !ServedPodStatus.departures(pod).isEmpty()) {
      request(key(pod));
    }
  }

  /** The node is Ready again: its pods whose status another writer changed are written back. */
  void nodeReady(String node) {
    served.forEach(
        (key, s) -> {
          if (s.node.equals(node)) {
            Pod pod = latest.apply(key);
            if (pod != null) {
              observed(pod);
            }
          }
        });
  }

  /** The pod incarnation is no longer served. */
  void forget(String key, String uid) {
    served.computeIfPresent(key, (k, s) -> s.uid.equals(uid) ? null : s);
  }

  private void request(String key) {
    if (writing.add(key)) {
      submit(() -> attempt(key, 0));
    } else {
      lookAgain.add(key);
    }
  }

  private void attempt(String key, int failures) {
    Served s = served.get(key);
    Pod pod = latest.apply(key);
    if (s == null
        || pod == null
        || !s.uid.equals(pod.getMetadata().getUid())
        || pod.getMetadata().getDeletionTimestamp() != null) {
      done(key);
      return;
    }
    try {
      if (s.written == null) {
        Pod after = writer.writeStatus(pod, ServedPodStatus.running(pod, nodeIp, s.ip, s.since));
        s.written = after.getMetadata().getResourceVersion();
        counters.statusWritten();
      } else {
        List<String> departures = ServedPodStatus.departures(pod);
        if (departures.isEmpty()
            || !newer(pod.getMetadata().getResourceVersion(), s.written)
            || !nodeIsReady.test(s.node)) {
          done(key);
          return;
        }
        Pod after = writer.replaceStatus(pod, ServedPodStatus.restored(pod, nodeIp, s.ip, now()));
        s.written = after.getMetadata().getResourceVersion();
        counters.statusRestored();
        log.info(
            "pod {}: status written back ({} by another writer)",
            key,
            String.join(", ", departures));
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        done(key);
        return;
      }
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        counters.statusConflict();
      } else {
        log.warn("pod {}: status write failed, retried: {}", key, e.getMessage());
      }
      long delay = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(failures, 16));
      try {
        retries.schedule(
            () -> submit(() -> attempt(key, failures + 1)), delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        done(key);
      }
      return;
    }
    done(key);
  }

  private void done(String key) {
    writing.remove(key);
    if (lookAgain.remove(key)) {
      Pod pod = latest.apply(key);
      if (pod != null) {
        observed(pod);
      }
    }
  }

  private void submit(Runnable write) {
    try {
      writers.execute(write);
    } catch (RejectedExecutionException closed) {
      // the fleet is shutting down
    }
  }

  /**
   * Whether {@code version} is later than {@code than}. Resource versions are opaque to clients in
   * general; the sandbox's API servers (etcd's revision, the mock's counter) count up, which lets a
   * stale informer copy be told from another writer's change.
   */
  static boolean newer(String version, String than) {
    try {
      return Long.parseLong(version) > Long.parseLong(than);
    } catch (NumberFormatException e) {
      return !version.equals(than);
    }
  }

  private String now() {
    return Instant.ofEpochMilli(millis.getAsLong()).toString();
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  @Override
  public void close() {
    retries.shutdownNow();
  }
}
