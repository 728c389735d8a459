package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.metrics.ClusterGauges;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.reconcile.OwnedObjects;
import io.redisoperator.controller.resources.CertificateExpiry;
import io.redisoperator.controller.sentinel.SentinelQuorum;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.event.EventReason;
import java.time.Duration;

/** What one cluster actor tells the operator's metrics, under the cluster's labels. */
final class ClusterMetricsFeed {
  private final OperatorMetrics metrics;
  private final String namespace;
  private final String name;

  ClusterMetricsFeed(OperatorMetrics metrics, String namespace, String name) {
    this.metrics = metrics;
    this.namespace = namespace;
    this.name = name;
  }

  /**
   * The gauges of the status a pass computed, and the sentinel quorum while the status carries the
   * {@code SentinelQuorum} condition (sentinel mode).
   */
  void planned(int instances, RedisClusterStatus desired, OwnedObjects owned) {
    metrics.cluster(namespace, name, ClusterGauges.of(instances, desired));
    boolean sentinelMode =
        Conditions.find(desired.getConditions(), ConditionType.SENTINEL_QUORUM).isPresent();
    if (!sentinelMode) {
      metrics.sentinelQuorum(namespace, name, null, null);
      return;
    }
    SentinelQuorum quorum = SentinelQuorum.of(name, pod -> owned.get(Pod.class, pod));
    metrics.sentinelQuorum(namespace, name, quorum.ok(), quorum.following());
  }

  /**
   * Certificates change at most on renewal: reading them at each resync (not each pass) is enough.
   */
  void certificates(OwnedObjects owned) {
    metrics.certificates(namespace, name, CertificateExpiry.of(name, owned.all(Secret.class)));
  }

  /** A recorded decision: failovers and switchovers are counted by kind. */
  void decided(EventReason event) {
    if (event == EventReason.FAILED_OVER) {
      metrics.failover(namespace, name, "failover");
    } else if (event == EventReason.SWITCHED_OVER) {
      metrics.failover(namespace, name, "switchover");
    }
  }

  void passFinished(Duration took, boolean failed) {
    metrics.recordReconcile(took);
    if (failed) {
      metrics.reconcileError(namespace, name);
    }
  }

  void gone() {
    metrics.clusterGone(namespace, name);
  }
}
