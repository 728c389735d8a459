package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.redisoperator.controller.resources.ClusterAuthority;
import io.redisoperator.controller.resources.InstancePodBuilder;
import io.redisoperator.controller.resources.RedisCertificates;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.SecretReference;
import io.redisoperator.protocol.crd.TlsSpec;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.Pem;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisTlsStepTest {
  private final RedisTlsStep step = new RedisTlsStep();

  @Test
  void operatorIssuedCertificatesNameEveryServiceAndPodAndClientsGetTheCa() throws Exception {
    PlannerFixture f = tls(new PlannerFixture(2, null), new TlsSpec());
    List<Action> actions = f.plan(step).actions();
    List<String> created =
        actions.stream().map(a -> ((Action.Create) a).object().getMetadata().getName()).toList();
    assertEquals(List.of("c-redis-ca", "c-redis-tls", "c-tls-client"), created);
    Secret server = (Secret) ((Action.Create) actions.get(1)).object();
    X509Certificate leaf =
        Pem.certificates(value(server, InstanceLayout.SECRET_KEY_TLS_CERT)).get(0);
    List<String> names =
        leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    assertTrue(
        names.containsAll(
            List.of(
                "c-leader",
                "c-leader.ns.svc",
                "c-replica.ns.svc.cluster.local",
                "c-any.ns",
                "c-0",
                "c-1.ns")),
        names.toString());
    assertTrue(
        leaf.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"),
        "replicas present it to their primary");
    Secret client = (Secret) ((Action.Create) actions.get(2)).object();
    assertEquals("rediss://c-leader.ns.svc:6379", value(client, "leader-url"));
    assertEquals(
        value(
            (Secret) ((Action.Create) actions.get(0)).object(), InstanceLayout.SECRET_KEY_CA_CERT),
        value(client, "ca.crt"));
  }

  @Test
  void inSentinelModeTheCertificateNamesTheSentinelsAndClientsLearnWhereToAsk() {
    PlannerFixture f = tls(new PlannerFixture(2, null), new TlsSpec());
    assertTrue(
        RedisCertificates.dnsNames(f.cluster).stream().noneMatch(n -> n.contains("sentinel")));
    f.cluster.getSpec().setMode(io.redisoperator.protocol.crd.Mode.SENTINEL);
    assertTrue(
        RedisCertificates.dnsNames(f.cluster)
            .containsAll(
                List.of("c-sentinel", "c-sentinel.ns.svc", "c-sentinel-0", "c-sentinel-2.ns")),
        RedisCertificates.dnsNames(f.cluster).toString());
    Secret client = RedisCertificates.clientSecret(f.cluster, "pem");
    assertEquals("c-sentinel.ns.svc", value(client, "sentinel-host"));
    assertEquals("26379", value(client, "sentinel-port"));
    assertEquals("c", value(client, "sentinel-master"));
  }

  @Test
  void aScaleUpReissuesTheServerCertificateForTheNewPodName() {
    PlannerFixture f = tls(new PlannerFixture(2, null), new TlsSpec());
    ownCurrentSecrets(f);
    assertEquals(List.of(), f.plan(step).actions(), "all current");
    f.cluster.getSpec().setInstances(3);
    List<Action> actions = f.plan(step).actions();
    assertEquals(1, actions.size(), actions.toString());
    assertEquals("c-redis-tls", ((Action.Patch) actions.get(0)).name());
  }

  @Test
  void theUsersCertificatesAreMountedAndOnlyTheClientSecretIsWritten() {
    TlsSpec spec = new TlsSpec();
    spec.setServerSecret(new SecretReference("my-server"));
    spec.setCaSecret(new SecretReference("my-ca"));
    spec.setClientSecret("app-redis");
    PlannerFixture f = tls(new PlannerFixture(1, null), spec);
    List<Action> actions = f.plan(step).actions();
    assertEquals(1, actions.size(), actions.toString());
    Secret client = (Secret) ((Action.Create) actions.get(0)).object();
    assertEquals("app-redis", client.getMetadata().getName());
    assertEquals("my-ca", value(client, "ca-secret"));

    Pod pod = InstancePodBuilder.build(f.cluster, 0, "c-auth", PlannerFixture.OPERATOR_IMAGE);
    Volume redisTls =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("redis-tls"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of("my-server", "my-ca"),
        redisTls.getProjected().getSources().stream().map(s -> s.getSecret().getName()).toList());
    assertTrue(
        pod.getSpec().getContainers().get(0).getVolumeMounts().stream()
            .anyMatch(m -> m.getMountPath().equals(InstanceLayout.REDIS_TLS_DIR)));
  }

  @Test
  void removingSpecTlsRemovesWhatWasIssuedForIt() {
    PlannerFixture f = new PlannerFixture(1, null);
    f.owned.add(versioned(ClusterAuthority.REDIS.newSecret(f.cluster, PlannerFixture.NOW)));
    assertEquals(
        List.of(new Action.Delete(Secret.class, "c-redis-ca", "spec.tls removed")),
        f.plan(step).actions());
    Pod plain = InstancePodBuilder.build(f.cluster, 0, "c-auth", PlannerFixture.OPERATOR_IMAGE);
    assertTrue(
        plain.getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("redis-tls")));
  }

  @Test
  void theMigrationModeIsReportedExposedAndItsEndWaitsForEveryPod() {
    TlsSpec spec = new TlsSpec();
    spec.setPlaintextPort(6380);
    PlannerFixture f = tls(new PlannerFixture(2, "c-0"), spec);
    f.pod(0, io.redisoperator.protocol.crd.InstanceRole.PRIMARY, null);
    f.pod(1, io.redisoperator.protocol.crd.InstanceRole.REPLICA, "10.0.0.1");
    Plan migrating = f.plan(step);
    assertEquals(
        new Plan.ConditionUpdate(
            ConditionType.PLAINTEXT_SERVED,
            ConditionStatus.TRUE,
            ConditionReason.TLS_MIGRATION,
            "Redis serves plaintext on port 6380 beside TLS (spec.tls.plaintextPort); remove it once"
                + " every client uses TLS"),
        plaintextCondition(migrating));
    Secret client =
        migrating.actions().stream()
            .filter(a -> a instanceof Action.Create c && c.object() instanceof Secret)
            .map(a -> (Secret) ((Action.Create) a).object())
            .filter(x -> x.getMetadata().getName().equals("c-tls-client"))
            .findFirst()
            .orElseThrow();
    assertEquals("6380", value(client, "plaintext-port"));
    assertEquals(
        List.of(6379, 6380),
        io.redisoperator.controller.resources.ClusterServices.ports(f.cluster).stream()
            .map(p -> p.getPort())
            .toList());

    // The field goes: still served until every pod reports the settings without it.
    spec.setPlaintextPort(null);
    io.redisoperator.protocol.crd.RedisClusterStatus status =
        new io.redisoperator.protocol.crd.RedisClusterStatus();
    status.setConditions(
        List.of(
            new io.redisoperator.protocol.crd.Condition(
                ConditionType.PLAINTEXT_SERVED,
                ConditionStatus.TRUE,
                ConditionReason.TLS_MIGRATION,
                "m",
                null,
                null)));
    f.cluster.setStatus(status);
    String desired =
        io.redisoperator.protocol.agent.InstanceSettingsHash.of(
            io.redisoperator.controller.resources.SettingsConfigMapBuilder.settings(f.cluster));
    reportConfigHash(f, "c-0", desired);
    Plan closing = f.plan(step);
    assertEquals(ConditionReason.PLAINTEXT_CLOSING, plaintextCondition(closing).reason());
    assertTrue(plaintextCondition(closing).message().contains("c-1"));
    assertEquals(
        List.of(6379),
        io.redisoperator.controller.resources.ClusterServices.ports(f.cluster).stream()
            .map(p -> p.getPort())
            .toList());
    reportConfigHash(f, "c-1", desired);
    assertEquals(
        new Plan.ConditionUpdate(
            ConditionType.PLAINTEXT_SERVED,
            ConditionStatus.FALSE,
            ConditionReason.TLS_ONLY,
            "Redis serves TLS only"),
        plaintextCondition(f.plan(step)));

    f.cluster.getSpec().setTls(null);
    assertEquals(List.of(ConditionType.PLAINTEXT_SERVED), f.plan(step).droppedConditions());
  }

  @Test
  void removingThePlaintextPortRemovesItFromTheClientSecret() {
    TlsSpec spec = new TlsSpec();
    spec.setPlaintextPort(6380);
    PlannerFixture f = tls(new PlannerFixture(1, null), spec);
    ownCurrentSecrets(f);
    assertEquals(List.of(), f.plan(step).actions(), "all current");

    spec.setPlaintextPort(null);
    List<Action> actions = f.plan(step).actions();
    assertEquals(1, actions.size(), actions.toString());
    Action.Patch patch = (Action.Patch) actions.get(0);
    assertEquals("c-tls-client", patch.name());
    // A merge patch keeps what it does not name: the key must be named with null to go.
    Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) patch.patch()).get("data");
    assertTrue(data.containsKey("plaintext-port"), data.keySet().toString());
    assertNull(data.get("plaintext-port"));
    assertEquals(
        Base64.getEncoder().encodeToString("6379".getBytes(StandardCharsets.UTF_8)),
        data.get("port"));
  }

  private static Plan.ConditionUpdate plaintextCondition(Plan plan) {
    return plan.conditions().stream()
        .filter(c -> c.type() == ConditionType.PLAINTEXT_SERVED)
        .findFirst()
        .orElseThrow();
  }

  private static void reportConfigHash(PlannerFixture f, String pod, String hash) {
    f.report(pod, s -> s.configHash(hash));
  }

  private static PlannerFixture tls(PlannerFixture f, TlsSpec spec) {
    f.cluster.getSpec().setTls(spec);
    return f;
  }

  /** The CA, server and client Secrets as the step last wrote them for the cluster. */
  private static void ownCurrentSecrets(PlannerFixture f) {
    Secret ca = versioned(ClusterAuthority.REDIS.newSecret(f.cluster, PlannerFixture.NOW));
    CertificateAuthority authority = ClusterAuthority.read(ca).orElseThrow();
    f.owned.add(ca);
    f.owned.add(
        versioned(RedisCertificates.serverSecret(f.cluster, authority, ca, PlannerFixture.NOW)));
    f.owned.add(versioned(RedisCertificates.clientSecret(f.cluster, RedisCertificates.caPem(ca))));
  }

  private static Secret versioned(Secret secret) {
    secret.getMetadata().setResourceVersion("1");
    return secret;
  }

  private static String value(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
