package io.redisoperator.protocol.naming;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Labels the operator puts on its objects. Selectors use equality only (no set-based selectors).
 */
public final class Labels {
  private Labels() {}

  public static final String CLUSTER = "redis.io/cluster";
  public static final String INSTANCE = "redis.io/instance";

  /**
   * {@link #ROLE_PRIMARY} or {@link #ROLE_REPLICA}; absent on a fenced or not yet known instance.
   */
  public static final String ROLE = "redis.io/role";

  /** {@link #WORKLOAD_DATA} or {@link #WORKLOAD_SENTINEL}. */
  public static final String WORKLOAD = "redis.io/workload";

  /** On a RedisBackup a RedisScheduledBackup created: the schedule's name. */
  public static final String SCHEDULED_BACKUP = "redis.io/scheduled-backup";

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "redis-operator";

  public static final String ROLE_PRIMARY = "primary";
  public static final String ROLE_REPLICA = "replica";

  /** The role label of a sentinel pod (sentinel mode); never on a data pod. */
  public static final String ROLE_SENTINEL = "sentinel";

  public static final String WORKLOAD_DATA = "data";
  public static final String WORKLOAD_SENTINEL = "sentinel";

  /** Labels on every object of a cluster. */
  public static Map<String, String> forCluster(String cluster) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(CLUSTER, cluster);
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    return labels;
  }

  /** Labels on a data pod and its PVC (the role label is managed separately). */
  public static Map<String, String> forDataInstance(String cluster, String podName) {
    Map<String, String> labels = forCluster(cluster);
    labels.put(INSTANCE, podName);
    labels.put(WORKLOAD, WORKLOAD_DATA);
    return labels;
  }
}
