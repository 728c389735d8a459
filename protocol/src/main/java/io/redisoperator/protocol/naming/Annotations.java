package io.redisoperator.protocol.naming;

/** Annotations read or written by the operator. */
public final class Annotations {
  private Annotations() {}

  /** On pods: hash of everything in the pod spec that needs a restart to change. */
  public static final String POD_SPEC_HASH = "redis.io/pod-spec-hash";

  /**
   * On the Secrets of certificates the operator issues: its seal of the certificate, proof that the
   * holder of the issuing CA's key wrote it there (see the controller's {@code CertificateSeal}).
   */
  public static final String CERTIFICATE_SEAL = "redis.io/certificate-seal";

  /** On pods: hash of the live-applicable Redis settings. */
  public static final String CONFIG_HASH = "redis.io/config-hash";

  /** On pods and PVCs: the instance ordinal. */
  public static final String ORDINAL = "redis.io/ordinal";

  /** On a RedisCluster, set by a user: the pod that should become primary (planned switchover). */
  public static final String SWITCHOVER_TO = "redis.io/switchover-to";

  /**
   * On a RedisCluster, set by a user: JSON list or comma-separated pod names to fence ("*" for
   * all).
   */
  public static final String FENCED_INSTANCES = "redis.io/fenced-instances";

  /**
   * On a RedisCluster, set by a user: "on" deletes the pods and keeps the PVCs; "off" or absent
   * wakes.
   */
  public static final String HIBERNATION = "redis.io/hibernation";

  /**
   * On a RedisCluster with primaryUpdateStrategy supervised: approves the pending primary update
   * (consumed).
   */
  public static final String APPROVE_PRIMARY_UPDATE = "redis.io/approve-primary-update";

  /**
   * On a RedisCluster, set by a user ({@code kubectl redis restart}): any new value restarts every
   * pod of the cluster by the usual rolling update (replicas first, the primary last after a
   * switchover). The value is opaque (the plugin writes the time); the pods carry the value they
   * were created for.
   */
  public static final String RESTARTED_AT = "redis.io/restartedAt";

  /** On a RedisCluster: "true" deletes PVCs together with the cluster (default: PVCs are kept). */
  public static final String DELETE_PVCS_ON_DELETE = "redis.io/delete-pvcs-on-delete";
}
