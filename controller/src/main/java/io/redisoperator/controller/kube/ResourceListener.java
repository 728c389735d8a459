package io.redisoperator.controller.kube;

import io.redisoperator.protocol.crd.RedisCluster;

/**
 * Where the informers send what changed. Called on informer threads: implementations only enqueue
 * messages.
 */
public interface ResourceListener {
  void clusterChanged(RedisCluster cluster);

  void clusterDeleted(String namespace, String name);

  /** Something owned by (labelled with) the cluster changed: a pod, a service, ... */
  void ownedChanged(String namespace, String cluster);

  /**
   * A node was cordoned or uncordoned (or appeared, or went): every cluster may have a primary to
   * move.
   */
  void nodesChanged();
}
