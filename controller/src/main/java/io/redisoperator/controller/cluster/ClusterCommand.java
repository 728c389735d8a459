package io.redisoperator.controller.cluster;

import io.redisoperator.protocol.crd.RedisCluster;

/**
 * What the registry tells a {@link ClusterActor}: the cluster changed, or something it owns did.
 * The actor's messages to itself are {@link InternalCommand}.
 */
public sealed interface ClusterCommand
    permits ClusterCommand.ClusterUpdated, ClusterCommand.OwnedChanged, InternalCommand {

  /** The informer saw a new version of the cluster. */
  record ClusterUpdated(RedisCluster cluster) implements ClusterCommand {}

  /** Something the cluster owns changed (or a node was cordoned): worth a pass. */
  enum OwnedChanged implements ClusterCommand {
    INSTANCE
  }
}
