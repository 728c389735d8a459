package io.redisoperator.controller.observation;

/** What the API server says of a data pod, reduced to what failover and rollout care about. */
public enum PodPhase {
  /** No pod object exists (never created, or deleted and gone). */
  MISSING,
  /** Created, containers not running yet. */
  PENDING,
  RUNNING,
  /** deletionTimestamp set: the pod is going away. */
  TERMINATING,
  /** Phase Failed or Succeeded: the containers are not coming back. */
  FAILED
}
