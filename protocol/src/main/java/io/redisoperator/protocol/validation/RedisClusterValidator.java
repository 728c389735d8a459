package io.redisoperator.protocol.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.redisoperator.protocol.acl.AclRuleSyntax;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.BackupObjectSource;
import io.redisoperator.protocol.crd.BootstrapSpec;
import io.redisoperator.protocol.crd.DurabilitySpec;
import io.redisoperator.protocol.crd.FailoverSpec;
import io.redisoperator.protocol.crd.Mode;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisUserSpec;
import io.redisoperator.protocol.crd.StorageSpec;
import io.redisoperator.protocol.crd.StorageType;
import io.redisoperator.protocol.crd.TlsSpec;
import io.redisoperator.protocol.naming.ResourceNames;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a RedisCluster for everything the CRD schema cannot express (or a schema-less API server
 * would let through). Pure: no I/O, usable from the controller and from an admission webhook.
 */
public final class RedisClusterValidator {
  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern QUANTITY = Pattern.compile(StorageSpec.QUANTITY_PATTERN);
  private static final Pattern IMAGE = Pattern.compile("^[^\\s]+$");
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

  private RedisClusterValidator() {}

  /** All problems found, empty when the cluster is valid. */
  public static List<FieldError> validate(RedisCluster cluster) {
    List<FieldError> errors = new ArrayList<>();
    String name = cluster.getMetadata() == null ? null : cluster.getMetadata().getName();
    if (name == null || !DNS_LABEL.matcher(name).matches()) {
      errors.add(
          new FieldError("metadata.name", "must be a DNS label (lowercase letters, digits, '-')"));
    } else if (name.endsWith("-sentinel")) {
      // Data pod <name>-0 would collide with sentinel pod 0 of the cluster named without the
      // suffix.
      errors.add(
          new FieldError(
              "metadata.name", "must not end in '-sentinel' (reserved for sentinel pod names)"));
    } else if (name.length() > ResourceNames.MAX_CLUSTER_NAME_LENGTH) {
      errors.add(
          new FieldError(
              "metadata.name",
              "must be at most "
                  + ResourceNames.MAX_CLUSTER_NAME_LENGTH
                  + " characters so derived names stay valid"));
    }
    RedisClusterSpec spec = cluster.getSpec();
    if (spec == null) {
      errors.add(new FieldError("spec", "is required"));
      return errors;
    }
    validateInstancesAndMode(spec, errors);
    validateImage(spec, errors);
    validateStorage(spec.getStorage(), errors);
    validateUnchangedSinceCreation(cluster, errors);
    validateResources(spec.getResources(), errors);
    validateDirectives(spec.getRedis(), errors);
    if (spec.getAuthSecret() != null) {
      String secret = spec.getAuthSecret().getName();
      if (secret == null || !DNS_SUBDOMAIN.matcher(secret).matches() || secret.length() > 253) {
        errors.add(new FieldError("spec.authSecret.name", "must name a Secret (a DNS subdomain)"));
      }
    }
    validateFailover(spec.getFailover(), errors);
    validateDurability(spec, errors);
    validateBackup(spec, errors);
    validateTls(spec, errors);
    validateUsers(spec, errors);
    return errors;
  }

  private static void validateUsers(RedisClusterSpec spec, List<FieldError> errors) {
    if (spec.getUsers() == null) {
      return;
    }
    if (spec.getUsers().size() > RedisClusterSpec.MAX_USERS) {
      errors.add(
          new FieldError(
              "spec.users", "must list at most " + RedisClusterSpec.MAX_USERS + " users"));
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < spec.getUsers().size(); i++) {
      RedisUserSpec user = spec.getUsers().get(i);
      String field = "spec.users[" + i + "]";
      if (user == null || !AclRuleSyntax.validName(user.getName())) {
        errors.add(
            new FieldError(
                field + ".name",
                "must be 1-64 letters, digits, '_', '.', '-' (starting with a letter or digit)"));
        continue;
      }
      if (OperatorUsers.reserved(user.getName())) {
        errors.add(
            new FieldError(
                field + ".name",
                "names starting with '"
                    + OperatorUsers.RESERVED_PREFIX
                    + "' are the operator's own users"));
      }
      if (!seen.add(user.getName())) {
        errors.add(
            new FieldError(field + ".name", "user '" + user.getName() + "' is listed twice"));
      }
      if (user.getRules() != null && user.getRules().length() > AclRuleSyntax.MAX_RULES_LENGTH) {
        errors.add(
            new FieldError(
                field + ".rules",
                "must be at most " + AclRuleSyntax.MAX_RULES_LENGTH + " characters"));
      }
      for (String rule : AclRuleSyntax.split(user.getRules())) {
        AclRuleSyntax.problem(rule)
            .ifPresent(
                p ->
                    errors.add(
                        new FieldError(field + ".rules", "user '" + user.getName() + "': " + p)));
      }
      if (user.getPasswordSecret() == null) {
        if (!OperatorUsers.DEFAULT.equals(user.getName())) {
          errors.add(
              new FieldError(
                  field + ".passwordSecret", "is required for user '" + user.getName() + "'"));
        }
      } else {
        checkSecretName(
            user.getPasswordSecret().getName(), true, field + ".passwordSecret.name", errors);
      }
    }
  }

  /**
   * The second line behind the CRD's transition rules (an API server without CEL lets the edit
   * through): storage is compared with the last spec the operator accepted, which the status
   * records.
   */
  private static void validateUnchangedSinceCreation(
      RedisCluster cluster, List<FieldError> errors) {
    RedisClusterSpec lastValid =
        cluster.getStatus() == null ? null : cluster.getStatus().getLastValidSpec();
    if (lastValid != null
        && !java.util.Objects.equals(lastValid.getStorage(), cluster.getSpec().getStorage())) {
      errors.add(
          new FieldError(
              "spec.storage", StorageSpec.IMMUTABLE.substring("spec.storage ".length())));
    }
  }

  private static void validateTls(RedisClusterSpec spec, List<FieldError> errors) {
    TlsSpec tls = spec.getTls();
    if (tls == null) {
      return;
    }
    if ((tls.getServerSecret() == null) != (tls.getCaSecret() == null)) {
      errors.add(
          new FieldError(
              "spec.tls",
              "serverSecret and caSecret go together (or neither, for operator-issued certificates)"));
    }
    checkSecretName(
        tls.getServerSecret() == null ? null : tls.getServerSecret().getName(),
        tls.getServerSecret() != null,
        "spec.tls.serverSecret.name",
        errors);
    checkSecretName(
        tls.getCaSecret() == null ? null : tls.getCaSecret().getName(),
        tls.getCaSecret() != null,
        "spec.tls.caSecret.name",
        errors);
    checkSecretName(
        tls.getClientSecret(), tls.getClientSecret() != null, "spec.tls.clientSecret", errors);
    Integer plaintext = tls.getPlaintextPort();
    if (plaintext != null
        && (plaintext < 1024
            || plaintext > 65535
            || java.util.Set.of(
                    AgentApi.REDIS_PORT, AgentApi.PORT, AgentApi.PROBE_PORT, AgentApi.SENTINEL_PORT)
                .contains(plaintext))) {
      errors.add(
          new FieldError(
              "spec.tls.plaintextPort",
              "must be between 1024 and 65535 and not one of the pod's own ports (6379, 8000, 8001,"
                  + " 26379)"));
    }
    if (plaintext != null && spec.getMode() == Mode.SENTINEL) {
      errors.add(
          new FieldError(
              "spec.tls.plaintextPort",
              "is not supported with mode 'sentinel': Sentinel serves TLS only, so clients discovering"
                  + " the primary through it use TLS anyway"));
    }
  }

  private static void checkSecretName(
      String name, boolean present, String field, List<FieldError> errors) {
    if (present
        && (name == null || !DNS_SUBDOMAIN.matcher(name).matches() || name.length() > 253)) {
      errors.add(new FieldError(field, "must name a Secret (a DNS subdomain)"));
    }
  }

  private static void validateBackup(RedisClusterSpec spec, List<FieldError> errors) {
    if (spec.getBackup() != null) {
      String secret =
          spec.getBackup().getCredentialsSecret() == null
              ? null
              : spec.getBackup().getCredentialsSecret().getName();
      if (secret == null || !DNS_SUBDOMAIN.matcher(secret).matches() || secret.length() > 253) {
        errors.add(
            new FieldError(
                "spec.backup.credentialsSecret.name", "must name a Secret (a DNS subdomain)"));
      }
    }
    BootstrapSpec bootstrap = spec.getBootstrap();
    if (bootstrap == null) {
      return;
    }
    if ((bootstrap.getBackup() == null) == (bootstrap.getSource() == null)) {
      errors.add(new FieldError("spec.bootstrap", "must name exactly one of backup and source"));
    }
    if (spec.getBackup() == null) {
      errors.add(
          new FieldError(
              "spec.backup.credentialsSecret",
              "is required to restore spec.bootstrap from the store"));
    }
    BackupObjectSource source = bootstrap.getSource();
    if (source != null) {
      if (source.getStore() == null || source.getStore().getBucket() == null) {
        errors.add(new FieldError("spec.bootstrap.source.store.bucket", "is required"));
      }
      if (source.getKey() == null || source.getKey().isBlank()) {
        errors.add(new FieldError("spec.bootstrap.source.key", "is required"));
      }
      if (source.getSha256() != null && !SHA256.matcher(source.getSha256()).matches()) {
        errors.add(
            new FieldError("spec.bootstrap.source.sha256", "must be 64 hexadecimal characters"));
      }
    }
  }

  private static void validateInstancesAndMode(RedisClusterSpec spec, List<FieldError> errors) {
    Integer instances = spec.getInstances();
    if (instances == null) {
      errors.add(new FieldError("spec.instances", "is required"));
    } else if (instances < 1 || instances > RedisClusterSpec.MAX_INSTANCES) {
      errors.add(
          new FieldError(
              "spec.instances", "must be between 1 and " + RedisClusterSpec.MAX_INSTANCES));
    }
    Mode mode = spec.getMode() == null ? Mode.STANDALONE : spec.getMode();
    if (mode == Mode.CLUSTER) {
      errors.add(
          new FieldError(
              "spec.mode",
              "'cluster' (Redis Cluster sharding) is not implemented; use 'standalone'"));
    }
    if (mode == Mode.SENTINEL && instances != null && instances < 3) {
      errors.add(new FieldError("spec.instances", "sentinel mode needs at least 3 instances"));
    }
  }

  private static void validateImage(RedisClusterSpec spec, List<FieldError> errors) {
    String image = spec.getImageName();
    if (image != null && (image.isBlank() || !IMAGE.matcher(image).matches())) {
      errors.add(new FieldError("spec.imageName", "must be an image reference without spaces"));
    }
  }

  private static void validateStorage(StorageSpec storage, List<FieldError> errors) {
    if (storage == null || storage.getType() == StorageType.EMPTY_DIR) {
      return;
    }
    String size = storage.getSize();
    if (size == null || !QUANTITY.matcher(size).matches()) {
      errors.add(new FieldError("spec.storage.size", "must be a quantity such as 1Gi"));
    } else if (Quantity.getAmountInBytes(new Quantity(size)).signum() <= 0) {
      errors.add(new FieldError("spec.storage.size", "must be greater than zero"));
    }
    String storageClass = storage.getStorageClassName();
    if (storageClass != null && !DNS_SUBDOMAIN.matcher(storageClass).matches()) {
      errors.add(new FieldError("spec.storage.storageClassName", "must be a StorageClass name"));
    }
  }

  private static void validateResources(ResourceRequirements resources, List<FieldError> errors) {
    if (resources == null) {
      return;
    }
    Map<String, Quantity> requests =
        resources.getRequests() == null ? Map.of() : resources.getRequests();
    Map<String, Quantity> limits = resources.getLimits() == null ? Map.of() : resources.getLimits();
    for (Map.Entry<String, Quantity> request : requests.entrySet()) {
      Quantity limit = limits.get(request.getKey());
      BigDecimal requested =
          amount(request.getValue(), "spec.resources.requests." + request.getKey(), errors);
      BigDecimal limited =
          limit == null ? null : amount(limit, "spec.resources.limits." + request.getKey(), errors);
      if (requested != null && limited != null && requested.compareTo(limited) > 0) {
        errors.add(
            new FieldError(
                "spec.resources.requests." + request.getKey(),
                "must not exceed the limit (" + limit + ")"));
      }
    }
  }

  private static BigDecimal amount(Quantity quantity, String field, List<FieldError> errors) {
    try {
      return Quantity.getAmountInBytes(quantity);
    } catch (IllegalArgumentException | ArithmeticException e) {
      errors.add(new FieldError(field, "is not a valid quantity"));
      return null;
    }
  }

  private static void validateDirectives(Map<String, String> directives, List<FieldError> errors) {
    if (directives == null) {
      return;
    }
    directives.forEach(
        (key, value) ->
            RedisDirectives.problem(key, value)
                .ifPresent(problem -> errors.add(new FieldError("spec.redis." + key, problem))));
  }

  private static void validateFailover(FailoverSpec failover, List<FieldError> errors) {
    if (failover == null) {
      return;
    }
    Integer interval = failover.getPollIntervalMillis();
    if (interval != null && (interval < 200 || interval > 30000)) {
      errors.add(
          new FieldError("spec.failover.pollIntervalMillis", "must be between 200 and 30000"));
    }
    Integer threshold = failover.getFailureThreshold();
    if (threshold != null && (threshold < 2 || threshold > 20)) {
      errors.add(new FieldError("spec.failover.failureThreshold", "must be between 2 and 20"));
    }
  }

  private static void validateDurability(RedisClusterSpec spec, List<FieldError> errors) {
    DurabilitySpec durability = spec.getDurability();
    if (durability == null) {
      return;
    }
    Integer minReplicas = durability.getMinReplicasToWrite();
    if (minReplicas != null && minReplicas < 0) {
      errors.add(new FieldError("spec.durability.minReplicasToWrite", "must not be negative"));
    } else if (minReplicas != null
        && spec.getInstances() != null
        && minReplicas > spec.getInstances() - 1) {
      errors.add(
          new FieldError(
              "spec.durability.minReplicasToWrite",
              "is "
                  + minReplicas
                  + " but the cluster has only "
                  + (spec.getInstances() - 1)
                  + " replicas: the primary could never accept writes"));
    }
    Integer maxLag = durability.getMinReplicasMaxLagSeconds();
    if (maxLag != null && (maxLag < 1 || maxLag > 60)) {
      errors.add(
          new FieldError("spec.durability.minReplicasMaxLagSeconds", "must be between 1 and 60"));
    }
  }
}
