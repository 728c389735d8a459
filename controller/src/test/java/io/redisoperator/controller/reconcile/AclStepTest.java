package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.acl.AclUsersSecret;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.protocol.acl.AclStatus;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.RedisUserSpec;
import io.redisoperator.protocol.crd.SecretReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AclStepTest {
  private final PlannerFixture f = new PlannerFixture(2, "c-0");

  private void reportAcl(String pod, AclStatus acl) {
    f.report(pod, s -> s.acl(acl));
  }

  private Plan plan(Map<String, String> userHashes) {
    ReconcileInput base = f.input();
    ReconcileInput in =
        new ReconcileInput(
            base.cluster(),
            base.owned(),
            base.observation(),
            base.authSecretVersion(),
            base.recentlyRequested(),
            base.operatorImage(),
            base.switchover(),
            base.cordonedNodes(),
            userHashes);
    Plan plan = new Plan();
    new AclStep().plan(in, plan);
    return plan;
  }

  private static Optional<Secret> created(Plan plan, String name) {
    return plan.actions().stream()
        .filter(
            a -> a instanceof Action.Create c && c.object().getMetadata().getName().equals(name))
        .map(a -> (Secret) ((Action.Create) a).object())
        .findFirst();
  }

  private void ready() {
    f.owned.add(ClusterSecrets.operatorAuth(f.cluster));
    f.owned.add(ClusterSecrets.generatedAuth(f.cluster));
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
  }

  @Test
  void createsTheOperatorPasswordsThenTheUsersOnceTheAuthSecretExists() {
    Plan first = plan(Map.of());
    assertTrue(created(first, "c-operator-auth").isPresent());
    assertTrue(
        created(first, "c-acl").isEmpty(),
        "the generated auth Secret is created in this same pass");
    ready();
    Secret acl = created(plan(Map.of()), "c-acl").orElseThrow();
    AclUsers users = AclUsersSecret.read(acl).orElseThrow();
    assertEquals(1, users.generation());
    assertEquals(4, users.users().size());
  }

  /**
   * A new cluster's ACL Secret, which its first pod mounts, is created in the pass that creates the
   * auth Secret, with that Secret's password (it came a whole pass later).
   */
  @Test
  void aNewClustersAclSecretIsCreatedWithItsAuthSecret() {
    Plan plan = new Plan();
    new SupportObjectsStep().plan(f.input(), plan);
    new AclStep().plan(f.input(), plan);
    Secret auth = created(plan, "c-auth").orElseThrow();
    AclUsers users = AclUsersSecret.read(created(plan, "c-acl").orElseThrow()).orElseThrow();
    String authHash =
        io.redisoperator.protocol.acl.PasswordHash.of(
            ClusterSecrets.value(auth, "password").orElseThrow());
    assertEquals(
        List.of(authHash),
        users.users().stream()
            .filter(u -> u.name().equals("default"))
            .findFirst()
            .orElseThrow()
            .passwordHashes());
  }

  @Test
  void aRotationWaitsForEveryPodAndTheConditionSaysSo() {
    ready();
    f.cluster
        .getSpec()
        .setUsers(List.of(new RedisUserSpec("app", "~app:* +@all", new SecretReference("app-pw"))));
    AclUsers first =
        AclUsersSecret.read(created(plan(Map.of("app-pw", "h1")), "c-acl").orElseThrow())
            .orElseThrow();
    f.owned.add(AclUsersSecret.build(f.cluster, first));
    reportAcl("c-0", new AclStatus(1, null));
    reportAcl("c-1", new AclStatus(1, null));
    Plan steady = plan(Map.of("app-pw", "h1"));
    assertEquals(List.of(), steady.actions());
    assertEquals(ConditionReason.USERS_IN_SYNC, condition(steady));

    Plan rotate = plan(Map.of("app-pw", "h2"));
    AclUsers both = patched(rotate);
    assertEquals(List.of("h2", "h1"), both.user("app").orElseThrow().passwordHashes());
    f.owned.removeIf(o -> o.getMetadata().getName().equals("c-acl"));
    f.owned.add(AclUsersSecret.build(f.cluster, both));
    reportAcl("c-0", new AclStatus(2, null));
    Plan waiting = plan(Map.of("app-pw", "h2"));
    assertEquals(
        List.of(), waiting.actions(), "c-1 has not applied generation 2: the old password stays");
    assertEquals(ConditionReason.USERS_APPLYING, condition(waiting));
    reportAcl("c-1", new AclStatus(2, null));
    Plan grace = plan(Map.of("app-pw", "h2"));
    assertEquals(
        List.of(), grace.actions(), "every pod has both: the old one stays for the grace period");
    assertEquals(PlannerFixture.NOW.plusSeconds(90), grace.wakeAt());
    f.cluster.getSpec().setPasswordRotationGraceSeconds(0);
    assertEquals(
        List.of("h2"),
        patched(plan(Map.of("app-pw", "h2"))).user("app").orElseThrow().passwordHashes());
  }

  @Test
  void aMissingSecretOrARefusedRuleIsReportedAndNothingIsApplied() {
    ready();
    f.cluster
        .getSpec()
        .setUsers(
            List.of(new RedisUserSpec("app", "+nosuchcommand", new SecretReference("app-pw"))));
    Plan missing = plan(Map.of());
    assertTrue(created(missing, "c-acl").isEmpty());
    assertEquals(ConditionReason.USER_SECRET_MISSING, condition(missing));
    assertTrue(
        missing.actions().stream()
            .anyMatch(
                a ->
                    a instanceof Action.Emit e
                        && e.reason().warning()
                        && e.note().contains("spec.users[0].passwordSecret")));

    AclUsers first =
        AclUsersSecret.read(created(plan(Map.of("app-pw", "h1")), "c-acl").orElseThrow())
            .orElseThrow();
    f.owned.add(AclUsersSecret.build(f.cluster, first));
    reportAcl(
        "c-0", new AclStatus(-1, "generation 1: user 'app': ERR Unknown command 'nosuchcommand'"));
    Plan refused = plan(Map.of("app-pw", "h1"));
    assertEquals(ConditionReason.ACL_RULE_REFUSED, condition(refused));
    assertTrue(
        refused.actions().stream()
            .anyMatch(a -> a instanceof Action.Emit e && e.note().contains("'app'")));
  }

  private static AclUsers patched(Plan plan) {
    Action.Patch patch =
        plan.actions().stream()
            .filter(a -> a instanceof Action.Patch p && p.name().equals("c-acl"))
            .map(Action.Patch.class::cast)
            .findFirst()
            .orElseThrow(() -> new AssertionError(plan.actions().toString()));
    @SuppressWarnings("unchecked")
    Map<String, String> data =
        (Map<String, String>) ((Map<String, Object>) patch.patch()).get("data");
    Secret s = new io.fabric8.kubernetes.api.model.SecretBuilder().withData(data).build();
    return AclUsersSecret.read(s).orElseThrow();
  }

  private static ConditionReason condition(Plan plan) {
    return plan.conditions().stream()
        .filter(c -> c.type() == ConditionType.USERS_APPLIED)
        .map(c -> c.reason())
        .findFirst()
        .orElseThrow();
  }
}
