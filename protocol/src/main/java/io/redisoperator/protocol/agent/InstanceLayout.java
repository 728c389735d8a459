package io.redisoperator.protocol.agent;

/**
 * Where the controller puts things in a data pod and where the agent finds them: environment
 * variables (Downward API, never secrets) and mount paths of projected volumes.
 */
public final class InstanceLayout {
  private InstanceLayout() {}

  public static final String ENV_POD_NAME = "POD_NAME";
  public static final String ENV_POD_NAMESPACE = "POD_NAMESPACE";
  public static final String ENV_POD_IP = "POD_IP";
  public static final String ENV_CLUSTER_NAME = "CLUSTER_NAME";

  /** The data volume: redis.conf, RDB/AOF files and the agent's fence marker. */
  public static final String DATA_DIR = "/data";

  /**
   * The controller-rendered ConfigMap (key {@link #CONFIG_KEY_SETTINGS}, an {@link
   * InstanceSettings} as JSON).
   */
  public static final String CONFIG_DIR = "/etc/redis-operator/config";

  public static final String CONFIG_KEY_SETTINGS = "settings.json";

  /**
   * Data pods: the passwords of the operator's Redis users the agent needs (keys {@link
   * #AUTH_KEY_AGENT}, {@link #AUTH_KEY_REPLICATION}); sentinel pods: the Sentinel user's, as {@link
   * #SECRET_KEY_PASSWORD}. Projected from {@code <cluster>-operator-auth} so rotations arrive
   * without restarts.
   */
  public static final String AUTH_DIR = "/etc/redis-operator/auth";

  public static final String SECRET_KEY_PASSWORD = "password";
  public static final String AUTH_KEY_AGENT = "agent";
  public static final String AUTH_KEY_REPLICATION = "replication";

  /**
   * The {@code <cluster>-acl} Secret (key {@link #ACL_KEY_USERS}, an {@code AclUsers} as JSON:
   * rules and password hashes, no password).
   */
  public static final String ACL_DIR = "/etc/redis-operator/acl";

  public static final String ACL_KEY_USERS = "users.json";

  /**
   * On the data volume: the ACL file Redis loads at start ({@code aclfile}), rewritten after every
   * applied change.
   */
  public static final String ACL_FILE = "users.acl";

  /**
   * The cluster's spec.backup.credentialsSecret (keys {@link #BACKUP_KEY_ACCESS_KEY_ID}, {@link
   * #BACKUP_KEY_SECRET_ACCESS_KEY}), projected only when the cluster names one; read afresh for
   * every transfer.
   */
  public static final String BACKUP_CREDENTIALS_DIR = "/etc/redis-operator/backup-credentials";

  public static final String BACKUP_KEY_ACCESS_KEY_ID = "accessKeyId";
  public static final String BACKUP_KEY_SECRET_ACCESS_KEY = "secretAccessKey";

  /**
   * The {@code <cluster>-restore} ConfigMap (key {@link #RESTORE_KEY}, a {@link RestoreSource}),
   * spec.bootstrap only.
   */
  public static final String RESTORE_DIR = "/etc/redis-operator/restore";

  public static final String RESTORE_KEY = "restore.json";

  /**
   * Sentinel pods only: the Sentinel admin Secret ({@code <cluster>-sentinel-auth}, key {@link
   * #SECRET_KEY_PASSWORD}), the password of the only Sentinel user that may change anything.
   */
  public static final String SENTINEL_AUTH_DIR = "/etc/redis-operator/sentinel-auth";

  /**
   * The pod's agent TLS Secret ({@code <pod>-agent-tls}): its own server certificate and key and
   * the cluster's agent CA, which the agent trusts only to verify the controller's client
   * certificate.
   */
  public static final String AGENT_TLS_DIR = "/etc/redis-operator/agent-tls";

  public static final String SECRET_KEY_TLS_CERT = "tls.crt";
  public static final String SECRET_KEY_TLS_KEY = "tls.key";
  public static final String SECRET_KEY_CA_CERT = "ca.crt";

  /**
   * Redis' own TLS files when spec.tls is set ({@link #SECRET_KEY_TLS_CERT}, {@link
   * #SECRET_KEY_TLS_KEY}, {@link #SECRET_KEY_CA_CERT}), projected from the server and CA Secrets;
   * rotations are applied live.
   */
  public static final String REDIS_TLS_DIR = "/etc/redis-operator/redis-tls";

  /**
   * Set only when the agent runs outside a container (the sandbox, local development): every
   * absolute path of this layout is resolved under this directory instead of the filesystem root.
   */
  public static final String ENV_FS_ROOT = "REDIS_OPERATOR_FS_ROOT";

  /** The launcher in the operator image (its ENTRYPOINT). */
  public static final String ENTRYPOINT = "/redis-operator";

  /** Where the operator image keeps the launcher, its JRE and the jar. */
  public static final String OPERATOR_INSTALL_DIR = "/opt/redis-operator";

  /**
   * Data pods run a plain Redis image: an init container of this name, from the operator image,
   * copies {@link #OPERATOR_INSTALL_DIR} into an emptyDir mounted at {@link #BOOTSTRAP_DIR}, and
   * the Redis container runs the agent from there ({@link #AGENT_COMMAND}), as CloudNativePG does
   * with its instance manager.
   */
  public static final String BOOTSTRAP_CONTAINER = "bootstrap";

  public static final String BOOTSTRAP_DIR = "/operator";
  public static final String AGENT_COMMAND = BOOTSTRAP_DIR + "/redis-operator";

  /**
   * Argument of {@code instance} that runs the sentinel role (sentinel pods) instead of the data
   * agent.
   */
  /** The sentinel role's flag for spec.tls (Sentinel serves and speaks TLS). */
  public static final String SENTINEL_TLS_ARG = "--sentinel-tls";

  public static final String SENTINEL_ROLE_ARG = "--role=sentinel";

  /** The Kubernetes service account token used for the agent's few API reads. */
  public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
}
