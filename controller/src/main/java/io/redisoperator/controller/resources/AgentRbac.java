package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The agents' identity: a ServiceAccount bound to a Role that can only read: this cluster's
 * RedisCluster (by name, also watched by name), this cluster's pods by name (the possible pod names
 * are listed), and the list and watch of pods in the namespace that a sentinel agent's informer of
 * its cluster's data pods needs (RBAC cannot restrict a list by label, and a list limited to names
 * is refused). Nothing cluster-wide, no Secret.
 */
public final class AgentRbac {
  private static final List<String> READ = List.of("get", "list", "watch");

  private AgentRbac() {}

  public static ServiceAccount serviceAccount(RedisCluster cluster) {
    return new ServiceAccountBuilder()
        .withMetadata(
            Owners.owned(cluster, ResourceNames.serviceAccount(cluster.getMetadata().getName())))
        .withAutomountServiceAccountToken(true)
        .build();
  }

  public static Role role(RedisCluster cluster) {
    return new RoleBuilder()
        .withMetadata(Owners.owned(cluster, ResourceNames.role(cluster.getMetadata().getName())))
        .withRules(rules(cluster.getMetadata().getName()))
        .build();
  }

  public static List<PolicyRule> rules(String clusterName) {
    List<String> podNames =
        IntStream.range(0, RedisClusterSpec.MAX_INSTANCES)
            .mapToObj(i -> ResourceNames.podName(clusterName, i))
            .toList();
    return List.of(
        new PolicyRuleBuilder()
            .withApiGroups(RedisCluster.GROUP)
            .withResources("redisclusters")
            .withResourceNames(clusterName)
            .withVerbs(READ)
            .build(),
        new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("pods")
            .withResourceNames(podNames)
            .withVerbs(READ)
            .build(),
        new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("pods")
            .withVerbs("list", "watch")
            .build());
  }

  public static RoleBinding roleBinding(RedisCluster cluster) {
    String name = cluster.getMetadata().getName();
    return new RoleBindingBuilder()
        .withMetadata(Owners.owned(cluster, ResourceNames.roleBinding(name)))
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("Role")
        .withName(ResourceNames.role(name))
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(ResourceNames.serviceAccount(name))
        .withNamespace(cluster.getMetadata().getNamespace())
        .endSubject()
        .build();
  }
}
