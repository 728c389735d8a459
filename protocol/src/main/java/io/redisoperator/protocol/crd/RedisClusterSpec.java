package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the user asks for. Every field here changes what the operator does. The cross-field rules of
 * {@code RedisClusterValidator} that CEL can express are also {@code x-kubernetes-validations} of
 * the CRD, so the API server refuses such a spec at admission, naming the field; the validator
 * stays as the second line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.bootstrap) == has(oldSelf.bootstrap)",
    message = "spec.bootstrap can only be set when the cluster is created")
@ValidationRule(
    value = "has(self.storage) == has(oldSelf.storage)",
    fieldPath = ".storage",
    message = "spec.storage can only be set when the cluster is created")
@ValidationRule(
    value = "!has(self.mode) || self.mode != 'cluster'",
    fieldPath = ".mode",
    message = "cluster mode is not supported: use standalone or sentinel")
@ValidationRule(
    value =
        "!has(self.mode) || self.mode != 'sentinel' || !has(self.instances) || self.instances >= 3",
    fieldPath = ".instances",
    message = "sentinel mode needs at least 3 instances")
@ValidationRule(
    value =
        "!has(self.durability) || !has(self.durability.minReplicasToWrite) || !has(self.instances)"
            + " || self.durability.minReplicasToWrite <= self.instances - 1",
    fieldPath = ".durability.minReplicasToWrite",
    message =
        "must be at most instances - 1 (the number of replicas), or the primary could never accept writes")
public class RedisClusterSpec {
  public static final String DEFAULT_IMAGE = "redis:7.2";
  public static final int MAX_INSTANCES = 64;
  public static final int MAX_USERS = 32;

  @Required
  @Min(1)
  @Max(MAX_INSTANCES)
  @PrinterColumn(name = "Instances", priority = 0)
  @JsonPropertyDescription("Number of data pods: one primary and instances-1 replicas.")
  private Integer instances;

  @JsonPropertyDescription("standalone (default) or sentinel. cluster is reserved and rejected.")
  private Mode mode = Mode.STANDALONE;

  @JsonPropertyDescription("Container image running redis-server and the instance agent.")
  private String imageName = DEFAULT_IMAGE;

  @ValidationRule(value = "self == oldSelf", message = StorageSpec.IMMUTABLE)
  @JsonPropertyDescription(
      "Storage of each instance (immutable: the operator neither resizes nor moves volumes).")
  private StorageSpec storage = new StorageSpec();

  @JsonPropertyDescription("CPU and memory of the Redis container.")
  private ResourceRequirements resources;

  @JsonPropertyDescription(
      "Extra redis.conf directives (name to value). Directives the operator owns (bind, port, dir,"
          + " requirepass, masterauth, replicaof, aclfile, tls-*, ...) are rejected.")
  private Map<String, String> redis = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Secret with key 'password' for Redis AUTH. When absent the operator generates <cluster>-auth.")
  private SecretReference authSecret;

  @JsonPropertyDescription(
      "Redis over TLS (clients, replication, and Sentinel in mode sentinel); the plaintext port is off unless"
          + " tls.plaintextPort keeps one for a migration. Absent: plaintext.")
  private TlsSpec tls;

  @Size(max = MAX_USERS)
  @ValidationRule(
      value = "self.all(u, self.exists_one(v, v.name == u.name))",
      message = "user names must be unique")
  @ValidationRule(
      value = "self.all(u, u.name == 'default' || has(u.passwordSecret))",
      message = "every user but 'default' needs a passwordSecret")
  @JsonPropertyDescription(
      "Redis ACL users, applied live on every data pod and removed when removed from this list. The operator's own"
          + " users (redis-operator-*) and the default user's rules are managed separately (see docs/security.md).")
  private List<RedisUserSpec> users;

  @Min(0)
  @Max(86400)
  @JsonPropertyDescription(
      "How long a rotated password (spec.users, the auth Secret) stays accepted after the new one is written, and at"
          + " least until every data pod has the new one. Default 90: clients reading a projected Secret get the new"
          + " password within the kubelet's sync period.")
  private Integer passwordRotationGraceSeconds;

  @JsonPropertyDescription(
      "unsupervised (default) or supervised: whether the primary is updated without approval.")
  private PrimaryUpdateStrategy primaryUpdateStrategy = PrimaryUpdateStrategy.UNSUPERVISED;

  @JsonPropertyDescription("Failure detection and promotion settings.")
  private FailoverSpec failover = new FailoverSpec();

  @JsonPropertyDescription("Refuse writes rather than risk losing acknowledged ones.")
  private DurabilitySpec durability;

  @JsonPropertyDescription(
      "Object-store credentials for backups of this cluster and for its bootstrap restore.")
  private BackupSpec backup;

  @ValidationRule(value = "self == oldSelf", message = "spec.bootstrap is immutable")
  @JsonPropertyDescription(
      "Restore a backup into the first pod before Redis starts (new clusters only; immutable). A failed restore is"
          + " reported and the pod never starts an empty primary in its place.")
  private BootstrapSpec bootstrap;

  @JsonPropertyDescription("Node labels the data pods must run on (Kubernetes nodeSelector).")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Kubernetes affinity of the data pods.")
  private Affinity affinity;

  @JsonPropertyDescription("Kubernetes tolerations of the data pods.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Kubernetes topology spread constraints of the data pods.")
  private List<TopologySpreadConstraint> topologySpreadConstraints;

  public Integer getInstances() {
    return instances;
  }

  public void setInstances(Integer instances) {
    this.instances = instances;
  }

  public TlsSpec getTls() {
    return tls;
  }

  public void setTls(TlsSpec tls) {
    this.tls = tls;
  }

  public List<RedisUserSpec> getUsers() {
    return users;
  }

  public void setUsers(List<RedisUserSpec> users) {
    this.users = users;
  }

  public Integer getPasswordRotationGraceSeconds() {
    return passwordRotationGraceSeconds;
  }

  public void setPasswordRotationGraceSeconds(Integer passwordRotationGraceSeconds) {
    this.passwordRotationGraceSeconds = passwordRotationGraceSeconds;
  }

  /** {@link #passwordRotationGraceSeconds} or its default. */
  public java.time.Duration passwordRotationGrace() {
    return java.time.Duration.ofSeconds(
        passwordRotationGraceSeconds == null ? 90 : passwordRotationGraceSeconds);
  }

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public String getImageName() {
    return imageName;
  }

  public void setImageName(String imageName) {
    this.imageName = imageName;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Map<String, String> getRedis() {
    return redis;
  }

  public void setRedis(Map<String, String> redis) {
    this.redis = redis;
  }

  public SecretReference getAuthSecret() {
    return authSecret;
  }

  public void setAuthSecret(SecretReference authSecret) {
    this.authSecret = authSecret;
  }

  public PrimaryUpdateStrategy getPrimaryUpdateStrategy() {
    return primaryUpdateStrategy;
  }

  public void setPrimaryUpdateStrategy(PrimaryUpdateStrategy primaryUpdateStrategy) {
    this.primaryUpdateStrategy = primaryUpdateStrategy;
  }

  public FailoverSpec getFailover() {
    return failover;
  }

  public void setFailover(FailoverSpec failover) {
    this.failover = failover;
  }

  public DurabilitySpec getDurability() {
    return durability;
  }

  public void setDurability(DurabilitySpec durability) {
    this.durability = durability;
  }

  public BackupSpec getBackup() {
    return backup;
  }

  public void setBackup(BackupSpec backup) {
    this.backup = backup;
  }

  public BootstrapSpec getBootstrap() {
    return bootstrap;
  }

  public void setBootstrap(BootstrapSpec bootstrap) {
    this.bootstrap = bootstrap;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
    return topologySpreadConstraints;
  }

  public void setTopologySpreadConstraints(
      List<TopologySpreadConstraint> topologySpreadConstraints) {
    this.topologySpreadConstraints = topologySpreadConstraints;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisClusterSpec other
        && Objects.equals(instances, other.instances)
        && Objects.equals(mode, other.mode)
        && Objects.equals(imageName, other.imageName)
        && Objects.equals(storage, other.storage)
        && Objects.equals(resources, other.resources)
        && Objects.equals(redis, other.redis)
        && Objects.equals(authSecret, other.authSecret)
        && Objects.equals(tls, other.tls)
        && Objects.equals(users, other.users)
        && Objects.equals(passwordRotationGraceSeconds, other.passwordRotationGraceSeconds)
        && Objects.equals(primaryUpdateStrategy, other.primaryUpdateStrategy)
        && Objects.equals(failover, other.failover)
        && Objects.equals(durability, other.durability)
        && Objects.equals(backup, other.backup)
        && Objects.equals(bootstrap, other.bootstrap)
        && Objects.equals(nodeSelector, other.nodeSelector)
        && Objects.equals(affinity, other.affinity)
        && Objects.equals(tolerations, other.tolerations)
        && Objects.equals(topologySpreadConstraints, other.topologySpreadConstraints);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        instances,
        mode,
        imageName,
        storage,
        resources,
        redis,
        authSecret,
        tls,
        users,
        passwordRotationGraceSeconds,
        primaryUpdateStrategy,
        failover,
        durability,
        backup,
        bootstrap,
        nodeSelector,
        affinity,
        tolerations,
        topologySpreadConstraints);
  }
}
