package io.redisoperator.controller.reconcile;

/**
 * One small idempotent part of reconciling a cluster: looks at the input, adds what is missing to
 * the plan.
 */
public interface ReconcileStep {
  void plan(ReconcileInput input, Plan plan);
}
