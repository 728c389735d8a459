package io.redisoperator.protocol.agent;

/**
 * Where the controller puts things in a data pod and where the agent finds them: environment variables (Downward API,
 * never secrets) and mount paths of projected volumes.
 */
public final class InstanceLayout {
  private InstanceLayout() {}

  public static final String ENV_POD_NAME = "POD_NAME";
  public static final String ENV_POD_NAMESPACE = "POD_NAMESPACE";
  public static final String ENV_POD_IP = "POD_IP";
  public static final String ENV_CLUSTER_NAME = "CLUSTER_NAME";

  /** The data volume: redis.conf, RDB/AOF files and the agent's fence marker. */
  public static final String DATA_DIR = "/data";
  /** The controller-rendered ConfigMap (key {@link #CONFIG_KEY_SETTINGS}, an {@link InstanceSettings} as JSON). */
  public static final String CONFIG_DIR = "/etc/redis-operator/config";
  public static final String CONFIG_KEY_SETTINGS = "settings.json";
  /** The auth Secret (key {@link #SECRET_KEY_PASSWORD}), projected so rotations arrive without restarts. */
  public static final String AUTH_DIR = "/etc/redis-operator/auth";
  public static final String SECRET_KEY_PASSWORD = "password";
  /** The agent token Secret (key {@link #SECRET_KEY_TOKEN}). */
  public static final String TOKEN_DIR = "/etc/redis-operator/agent-token";
  public static final String SECRET_KEY_TOKEN = "token";
  /**
   * Set only when the agent runs outside a container (the sandbox, local development): every absolute path of this
   * layout is resolved under this directory instead of the filesystem root.
   */
  public static final String ENV_FS_ROOT = "REDIS_OPERATOR_FS_ROOT";
  /** The command the pod's container runs; the image puts the launcher there. */
  public static final String ENTRYPOINT = "/redis-operator";
  /** Argument of {@code instance} that runs the sentinel role (sentinel pods) instead of the data agent. */
  public static final String SENTINEL_ROLE_ARG = "--role=sentinel";
  /** The Kubernetes service account token used for the agent's few API reads. */
  public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
}
