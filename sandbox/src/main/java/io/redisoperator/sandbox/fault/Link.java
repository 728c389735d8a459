package io.redisoperator.sandbox.fault;

/** A network path of a pod that a partition can cut. */
public enum Link {
  /** The controller reaching the pod's agent (the controller connects from 127.0.0.1). */
  CONTROLLER,
  /**
   * The pod reaching the API server, through its own endpoint on the pod IP ({@code
   * Kubelet.POD_API_SERVER_PORT}).
   */
  API_SERVER,
  /** The pod and every other pod (replication, with bind-source-addr on the pod IP). */
  PEERS
}
