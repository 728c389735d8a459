package io.redisoperator.sandbox.operator;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The controller's identity on the sandbox's real API server: the ServiceAccount the chart creates,
 * bound to a ClusterRole with exactly the rules the chart grants when it watches every namespace,
 * and a token for it in a file the controller's client reads (never in its environment or command
 * line).
 *
 * <p>The rules are read from the chart's plain-YAML rule files ({@code files/rbac/*-rules.yaml},
 * which {@code templates/rbac.yaml} renders), so the controller runs with what an installation
 * grants.
 */
public final class OperatorAccount {
  public static final String NAMESPACE = "redis-operator-system";
  public static final String NAME = "redis-operator";
  private static final List<Path> RULE_FILES =
      List.of(
          Path.of("charts", "redis-operator", "files", "rbac", "workload-rules.yaml"),
          Path.of("charts", "redis-operator", "files", "rbac", "node-rules.yaml"),
          Path.of("charts", "redis-operator", "files", "rbac", "leader-election-rules.yaml"));
  private static final long TOKEN_SECONDS = 7 * 24 * 3600;

  private OperatorAccount() {}

  /**
   * Creates the account and its permissions; writes its token to {@code tokenFile}; returns the
   * client env.
   */
  public static Map<String, String> create(
      KubernetesClient admin, String apiServerUrl, Path caFile, Path tokenFile) {
    List<PolicyRule> rules = chartRules();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .createOr(existing -> existing.update());
    admin
        .serviceAccounts()
        .inNamespace(NAMESPACE)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
    admin
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(NAME)
                .endMetadata()
                .withRules(rules)
                .build())
        .createOr(existing -> existing.update());
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(NAME)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", NAME)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .endSubject()
                .build())
        .createOr(existing -> existing.update());
    TokenRequest token =
        admin
            .serviceAccounts()
            .inNamespace(NAMESPACE)
            .withName(NAME)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(TOKEN_SECONDS)
                    .endSpec()
                    .build());
    try {
      Files.createDirectories(tokenFile.getParent());
      Files.deleteIfExists(tokenFile);
      Files.createFile(
          tokenFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tokenFile, token.getStatus().getToken(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + tokenFile, e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBERNETES_MASTER", apiServerUrl);
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "true");
    env.put("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", tokenFile.toString());
    env.put("KUBERNETES_CERTS_CA_FILE", caFile.toString());
    return env;
  }

  /** The rules of the chart's cluster-wide installation: every rule file, in order. */
  public static List<PolicyRule> chartRules() {
    List<PolicyRule> rules = new ArrayList<>();
    for (Path relative : RULE_FILES) {
      Path file = findFromWorkingDirectory(relative);
      try {
        RulesDocument document =
            Serialization.unmarshal(Files.readString(file), RulesDocument.class);
        if (document.rules.isEmpty()) {
          throw new IllegalStateException(file + " has no rules");
        }
        rules.addAll(document.rules);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return rules;
  }

  /** The parsed {@code rules:} block. */
  public static final class RulesDocument {
    public List<PolicyRule> rules = List.of();
  }

  static Path findFromWorkingDirectory(Path relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        relative + " not found in the working directory or its parents");
  }
}
