package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.acl.AclRotation;
import io.redisoperator.controller.acl.AclUsersSecret;
import io.redisoperator.controller.acl.DesiredUsers;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.protocol.acl.AclStatus;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's Redis users: the operator's passwords ({@code <cluster>-operator-auth}, generated
 * once), and the {@code <cluster>-acl} Secret every data pod applies live, advanced by {@link
 * AclRotation} as passwords change and pods catch up. A missing user Secret or a rule Redis refused
 * is reported (condition UsersApplied, one Warning event) and nothing of that change reaches the
 * pods.
 */
public final class AclStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    String operatorAuthName = ResourceNames.operatorAuthSecret(in.name());
    Optional<Secret> operatorAuth = in.owned().get(Secret.class, operatorAuthName);
    Secret passwords;
    if (operatorAuth.isEmpty()) {
      passwords = ClusterSecrets.operatorAuth(in.cluster());
      plan.add(new Action.Create(passwords));
    } else if (ClusterSecrets.OPERATOR_KEYS.stream()
        .anyMatch(k -> ClusterSecrets.value(operatorAuth.get(), k).isEmpty())) {
      Map<String, String> data =
          new java.util.TreeMap<>(ClusterSecrets.operatorAuth(in.cluster()).getData());
      if (operatorAuth.get().getData() != null) {
        data.putAll(operatorAuth.get().getData());
      }
      passwords =
          new io.fabric8.kubernetes.api.model.SecretBuilder(operatorAuth.get())
              .withData(data)
              .build();
      plan.add(
          new Action.Patch(
              Secret.class, operatorAuthName, Map.of("data", data), "operator passwords missing"));
    } else {
      passwords = operatorAuth.get();
    }

    DesiredUsers.Result desired =
        DesiredUsers.of(in.cluster(), passwords, generatedAuth(in, plan), in.userPasswordHashes());
    if (!desired.problems().isEmpty()) {
      report(
          in,
          plan,
          ConditionStatus.FALSE,
          ConditionReason.USER_SECRET_MISSING,
          String.join("; ", desired.problems()),
          true);
      return;
    }
    if (desired.users().isEmpty()) {
      return;
    }

    String aclName = ResourceNames.aclSecret(in.name());
    Optional<Secret> aclSecret = in.owned().get(Secret.class, aclName);
    AclUsers current = aclSecret.flatMap(AclUsersSecret::read).orElse(null);
    List<AclStatus> reports = podReports(in);
    List<Long> applied =
        reports.stream().map(r -> r == null ? -1L : r.appliedGeneration()).toList();
    java.time.Duration grace = in.cluster().getSpec().passwordRotationGrace();
    AclUsers next = AclRotation.next(current, desired.users(), applied, in.now(), grace);
    if (current == null) {
      // An unreadable Secret: continue above anything a pod applied, so no pod mistakes the new
      // list for an old one.
      long above = applied.stream().mapToLong(Long::longValue).max().orElse(0) + 1;
      next = new AclUsers(Math.max(1, above), next.users(), next.rotationStartedAt());
    }
    if (aclSecret.isEmpty()) {
      plan.add(new Action.Create(AclUsersSecret.build(in.cluster(), next)));
    } else if (next != current) {
      plan.add(
          new Action.Patch(
              Secret.class,
              aclName,
              Map.of("data", AclUsersSecret.data(next)),
              "ACL users generation " + next.generation()));
    }

    long generation = next.generation();
    Optional<String> refused =
        reports.stream()
            .filter(r -> r != null && r.rejected() != null && r.appliedGeneration() < generation)
            .map(AclStatus::rejected)
            .findFirst();
    if (refused.isPresent() && next == current) {
      report(
          in,
          plan,
          ConditionStatus.FALSE,
          ConditionReason.ACL_RULE_REFUSED,
          "Redis refused the users: " + refused.get(),
          true);
    } else if (next == current
        && !AclRotation.rotating(next)
        && !applied.isEmpty()
        && applied.stream().allMatch(g -> g >= generation)) {
      report(
          in,
          plan,
          ConditionStatus.TRUE,
          ConditionReason.USERS_IN_SYNC,
          "every data pod has generation " + generation,
          false);
    } else if (next == current
        && AclRotation.rotating(next)
        && !applied.isEmpty()
        && applied.stream().allMatch(g -> g >= generation)) {
      java.time.Instant ends = AclRotation.rotationEnds(next, grace).orElse(in.now());
      plan.wakeAt(ends);
      report(
          in,
          plan,
          ConditionStatus.FALSE,
          ConditionReason.USERS_APPLYING,
          "every data pod accepts both the old and the new password; the old one goes at " + ends,
          false);
    } else {
      String waiting =
          AclRotation.rotating(next) ? " (old and new passwords both accepted meanwhile)" : "";
      report(
          in,
          plan,
          ConditionStatus.FALSE,
          ConditionReason.USERS_APPLYING,
          "data pods are applying ACL users generation " + generation + waiting,
          false);
    }
  }

  /**
   * The {@code <cluster>-auth} Secret: from the cache, else the one {@link SupportObjectsStep}
   * creates in this same pass (its password is chosen there). So a new cluster's ACL Secret, which
   * its first pod mounts, is created with it rather than a whole pass later.
   */
  private static Optional<Secret> generatedAuth(ReconcileInput in, Plan plan) {
    String name = ResourceNames.generatedAuthSecret(in.name());
    return in.owned()
        .get(Secret.class, name)
        .or(
            () ->
                plan.actions().stream()
                    .filter(
                        a ->
                            a instanceof Action.Create c
                                && c.object() instanceof Secret
                                && name.equals(c.object().getMetadata().getName()))
                    .map(a -> (Secret) ((Action.Create) a).object())
                    .findFirst());
  }

  /**
   * One entry per data pod: what its agent last reported (null: nothing yet, or an agent before ACL
   * users).
   */
  private static List<AclStatus> podReports(ReconcileInput in) {
    List<AclStatus> reports = new ArrayList<>();
    for (Pod pod : in.owned().all(Pod.class)) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      if (labels == null || !Labels.WORKLOAD_DATA.equals(labels.get(Labels.WORKLOAD))) {
        continue;
      }
      InstanceStatus status =
          in.instance(pod.getMetadata().getName())
              .map(InstanceObservation::lastStatus)
              .orElse(null);
      reports.add(status == null ? null : status.acl());
    }
    return reports;
  }

  private static void report(
      ReconcileInput in,
      Plan plan,
      ConditionStatus status,
      ConditionReason reason,
      String message,
      boolean warn) {
    plan.condition(ConditionType.USERS_APPLIED, status, reason, message);
    boolean alreadyReported =
        in.cluster().getStatus() != null
            && Conditions.find(
                    in.cluster().getStatus().getConditions(), ConditionType.USERS_APPLIED)
                .map(c -> message.equals(c.getMessage()))
                .orElse(false);
    if (warn && !alreadyReported) {
      plan.add(
          new Action.Emit(
              reason == ConditionReason.ACL_RULE_REFUSED
                  ? EventReason.ACL_RULE_REFUSED
                  : EventReason.USER_SECRET_MISSING,
              message));
    }
  }
}
