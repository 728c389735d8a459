package io.redisoperator.agent.kube;

import java.util.concurrent.CompletionStage;

/** The agent's read-only view of the API server (get its RedisCluster, get the primary's pod). */
public interface ClusterReader extends AutoCloseable {
  /** Completes exceptionally when the API server cannot be reached in time. */
  CompletionStage<ClusterView> read();

  /** The IP of a pod of this agent's cluster, empty when it has none (or does not exist). */
  default CompletionStage<java.util.Optional<String>> podIp(String pod) {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new UnsupportedOperationException("this reader does not read pods"));
  }

  @Override
  void close();
}
