package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.reconcile.StatusBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * How a pass's status update ended: not attempted, the stored cluster, or the failure (a 409 means
 * someone else wrote first).
 */
record StatusWrite(boolean attempted, RedisCluster result, Throwable failure) {
  static final StatusWrite NONE = new StatusWrite(false, null, null);

  /**
   * Writes {@code desired} (whether it is due is {@link StatusWriteGate}'s call); a phase change is
   * logged at info, any other update at debug.
   */
  static CompletableFuture<StatusWrite> write(
      KubeGateway kube, RedisCluster cluster, RedisClusterStatus desired, Logger log) {
    RedisClusterStatus current = cluster.getStatus();
    if (current == null || current.getPhase() != desired.getPhase()) {
      log.info("phase {} ({})", desired.getPhase(), desired.getPhaseReason());
    } else if (log.isDebugEnabled()) {
      log.debug(
          "status update ({}), changed {}",
          desired.getPhaseReason(),
          StatusBuilder.changedFields(current, desired));
    }
    return update(kube, cluster, desired);
  }

  /** Updates the status subresource with {@code desired}; never fails, the failure is returned. */
  private static CompletableFuture<StatusWrite> update(
      KubeGateway kube, RedisCluster cluster, RedisClusterStatus desired) {
    return kube.updateStatus(withStatus(cluster, desired))
        .handle(
            (result, failure) ->
                new StatusWrite(
                    true, result, failure == null ? null : ActionExecutor.unwrap(failure)))
        .toCompletableFuture();
  }

  private static RedisCluster withStatus(RedisCluster cluster, RedisClusterStatus status) {
    RedisCluster copy = new RedisCluster();
    copy.setApiVersion(cluster.getApiVersion());
    copy.setKind(cluster.getKind());
    // A copy: the original belongs to the informer cache and must never be mutated by a request.
    copy.setMetadata(new ObjectMetaBuilder(cluster.getMetadata()).build());
    copy.setSpec(cluster.getSpec());
    copy.setStatus(status);
    return copy;
  }
}
