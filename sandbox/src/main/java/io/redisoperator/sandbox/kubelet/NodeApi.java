package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;

/**
 * The API writes behind a node's registration and heartbeats ({@link NodeRegistration}): what it
 * sends is decided there, how it is sent here.
 */
interface NodeApi {

  /** Creates the Node, or patches the existing one with its labels. */
  void register(Node node);

  /** Replaces the node's status conditions, addresses, capacity and info. */
  void writeStatus(String node, NodeStatus status);

  /** Renews (or first creates) the node's Lease in {@code kube-node-lease}: one request. */
  void renewLease(String node, LeaseSpec spec);
}
