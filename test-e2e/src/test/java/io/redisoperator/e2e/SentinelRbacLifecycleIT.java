package io.redisoperator.e2e;

import io.redisoperator.protocol.crd.Mode;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import org.junit.jupiter.api.Tag;

/**
 * {@link RbacLifecycleIT}'s lifecycle in {@code mode: sentinel}, under the same RBAC checks: the
 * sentinel pods' agents find the cluster's pods by label and follow the recorded primary, so their
 * Role must allow listing and watching pods, and every step (failover, switchover, password
 * rotation, scale, hibernation) must pass with nothing refused. Sentinel mode runs without Redis
 * TLS, so the certificate rotation step is not part of it.
 */
@Tag("chaos")
class SentinelRbacLifecycleIT extends RbacLifecycleIT {
  @Override
  String scenario() {
    return "rbac-lifecycle-sentinel";
  }

  @Override
  void customize(RedisClusterSpec spec) {
    spec.setMode(Mode.SENTINEL);
  }

  /** Not a test here (no {@code @Test}): the cluster has no Redis certificate to rotate. */
  @Override
  void certificateRotation() {}
}
