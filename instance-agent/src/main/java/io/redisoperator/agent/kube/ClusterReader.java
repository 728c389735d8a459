package io.redisoperator.agent.kube;

import java.util.concurrent.CompletionStage;

/** The agent's read-only view of the API server (get its RedisCluster, get the primary's pod). */
public interface ClusterReader extends AutoCloseable {
  /** Completes exceptionally when the API server cannot be reached in time. */
  CompletionStage<ClusterView> read();

  @Override
  void close();
}
