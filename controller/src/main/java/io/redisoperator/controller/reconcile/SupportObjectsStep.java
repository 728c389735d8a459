package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.redisoperator.controller.resources.AgentRbac;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.controller.resources.ClusterServices;
import io.redisoperator.controller.resources.DisruptionBudgets;
import io.redisoperator.controller.resources.SettingsConfigMapBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import java.util.Map;
import java.util.Objects;

/**
 * The objects around the data pods: agent RBAC, the generated auth Secret, the settings ConfigMap,
 * the Services and the disruption budgets. Each is created when missing (a new cluster's budget
 * once a pod it selects exists) and patched only in the fields the controller owns when they
 * drifted (a Service's clusterIP, set by the API server, is never touched).
 */
public final class SupportObjectsStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    RedisCluster cluster = in.cluster();
    OwnedObjects owned = in.owned();

    ServiceAccount sa = AgentRbac.serviceAccount(cluster);
    if (owned.get(ServiceAccount.class, sa.getMetadata().getName()).isEmpty()) {
      plan.add(new Action.Create(sa));
    }
    Role role = AgentRbac.role(cluster);
    boolean roleExists = owned.get(Role.class, role.getMetadata().getName()).isPresent();
    owned
        .get(Role.class, role.getMetadata().getName())
        .ifPresentOrElse(
            existing -> {
              if (!Objects.equals(existing.getRules(), role.getRules())) {
                plan.add(
                    new Action.Patch(
                        Role.class,
                        role.getMetadata().getName(),
                        Map.of("rules", role.getRules()),
                        "rules drifted"));
              }
            },
            () -> plan.add(new Action.Create(role)));
    RoleBinding binding = AgentRbac.roleBinding(cluster);
    // The controller holds no `bind` right: the API server reads the Role to check that the
    // controller holds everything it grants, and refuses a binding sent beside its Role ("not
    // found") until the Role exists. The binding waits for the Role in the cache.
    if (roleExists && owned.get(RoleBinding.class, binding.getMetadata().getName()).isEmpty()) {
      plan.add(new Action.Create(binding));
    }

    if (cluster.getSpec().getAuthSecret() == null) {
      Secret auth = ClusterSecrets.generatedAuth(cluster);
      if (owned.get(Secret.class, auth.getMetadata().getName()).isEmpty()) {
        plan.add(new Action.Create(auth));
      }
    }

    ConfigMap config = SettingsConfigMapBuilder.build(cluster);
    owned
        .get(ConfigMap.class, config.getMetadata().getName())
        .ifPresentOrElse(
            existing -> {
              if (!Objects.equals(existing.getData(), config.getData())) {
                plan.add(
                    new Action.Patch(
                        ConfigMap.class,
                        config.getMetadata().getName(),
                        Map.of("data", config.getData()),
                        "settings changed"));
              }
            },
            () -> plan.add(new Action.Create(config)));

    for (Service service : ClusterServices.build(cluster)) {
      String name = service.getMetadata().getName();
      owned
          .get(Service.class, name)
          .ifPresentOrElse(
              existing -> ServiceDrift.plan(plan, existing, service),
              () -> plan.add(new Action.Create(service)));
    }

    for (PodDisruptionBudget pdb : DisruptionBudgets.build(cluster)) {
      String name = pdb.getMetadata().getName();
      owned
          .get(PodDisruptionBudget.class, name)
          .ifPresentOrElse(
              existing -> {
                if (!Objects.equals(
                        existing.getSpec().getMinAvailable(), pdb.getSpec().getMinAvailable())
                    || !Objects.equals(
                        existing.getSpec().getSelector(), pdb.getSpec().getSelector())) {
                  plan.add(
                      new Action.Patch(
                          PodDisruptionBudget.class,
                          name,
                          Map.of(
                              "spec",
                              Map.of(
                                  "minAvailable",
                                  pdb.getSpec().getMinAvailable(),
                                  "selector",
                                  pdb.getSpec().getSelector())),
                          "budget changed"));
                }
              },
              () -> {
                if (selectsAPod(in, pdb) || !StatusBuilder.beingCreated(cluster.getStatus())) {
                  plan.add(new Action.Create(pdb));
                }
              });
    }
  }

  /**
   * Whether a pod the budget selects exists. A new cluster's budget waits for its first pod: the
   * disruption controller reports a budget that selects none with an Event ({@code NoPods}), and
   * again at each of its syncs, two writes to the API server per cluster for a budget that had
   * nothing to protect yet. Past creation a budget is created whatever it selects.
   */
  private static boolean selectsAPod(ReconcileInput in, PodDisruptionBudget pdb) {
    Map<String, String> selector = pdb.getSpec().getSelector().getMatchLabels();
    return in.owned().all(Pod.class).stream()
        .map(p -> p.getMetadata().getLabels())
        .anyMatch(labels -> labels != null && labels.entrySet().containsAll(selector.entrySet()));
  }
}
