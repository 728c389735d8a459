package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.agent.ControllerIdentity;
import io.redisoperator.controller.resources.AgentCertificates;
import io.redisoperator.controller.resources.ClusterAuthority;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentTlsStepTest {
  private final AgentTlsStep step = new AgentTlsStep();

  @Test
  void aNewClusterGetsItsCaAndACertificatePerPodInOnePass() {
    PlannerFixture f = new PlannerFixture(3, null);
    List<String> created =
        f.plan(step).actions().stream()
            .map(a -> ((Action.Create) a).object().getMetadata().getName())
            .toList();
    assertEquals(List.of("c-agent-ca", "c-0-agent-tls", "c-1-agent-tls", "c-2-agent-tls"), created);
  }

  @Test
  void currentCertificatesAreLeftAlone() {
    PlannerFixture f = withCa(2);
    Secret ca = (Secret) f.owned.get(0);
    CertificateAuthority authority = ClusterAuthority.read(ca).orElseThrow();
    f.owned.add(
        versioned(
            AgentCertificates.podSecret(
                f.cluster, "c-0", authority, ca, PlannerFixture.NOW.minus(Duration.ofDays(59)))));
    f.owned.add(
        versioned(
            AgentCertificates.podSecret(f.cluster, "c-1", authority, ca, PlannerFixture.NOW)));
    assertEquals(List.of(), f.plan(step).actions());
  }

  @Test
  void renewsTwoThirdsIntoTheValidityAndReissuesWhatAnotherCaSigned() {
    PlannerFixture f = withCa(3);
    Secret ca = (Secret) f.owned.get(0);
    CertificateAuthority authority = ClusterAuthority.read(ca).orElseThrow();
    CertificateAuthority other =
        CertificateAuthority.create("other", PlannerFixture.NOW, Duration.ofDays(3650));
    f.owned.add(
        versioned(
            AgentCertificates.podSecret(
                f.cluster, "c-0", authority, ca, PlannerFixture.NOW.minus(Duration.ofDays(61)))));
    f.owned.add(
        versioned(AgentCertificates.podSecret(f.cluster, "c-1", other, ca, PlannerFixture.NOW)));
    f.owned.add(
        versioned(
            AgentCertificates.podSecret(f.cluster, "c-2", authority, ca, PlannerFixture.NOW)));
    List<Action> actions = f.plan(step).actions();
    assertEquals(2, actions.size(), actions.toString());
    Action.Patch renewal = (Action.Patch) actions.get(0);
    assertEquals("c-0-agent-tls", renewal.name());
    assertTrue(renewal.why().contains("renewal due"), renewal.why());
    Action.Patch foreign = (Action.Patch) actions.get(1);
    assertEquals("c-1-agent-tls", foreign.name());
    assertTrue(foreign.why().contains("not issued by the current CA"), foreign.why());
  }

  /**
   * A replaced CA keeps the cluster's CA name: a certificate of the old one is issued again in the
   * first pass that sees it (a restart's), told apart by its signature, not its identifiers.
   */
  @Test
  void aCertificateOfAReplacedCaOfTheSameNameIsReissuedAtFirstSight() {
    PlannerFixture f = withCa(1);
    Secret replaced = ClusterAuthority.AGENT.newSecret(f.cluster, PlannerFixture.NOW);
    CertificateAuthority old = ClusterAuthority.read(replaced).orElseThrow();
    assertEquals(
        old.certificate().getSubjectX500Principal(),
        ClusterAuthority.read((Secret) f.owned.get(0))
            .orElseThrow()
            .certificate()
            .getSubjectX500Principal());
    f.owned.add(
        versioned(
            AgentCertificates.podSecret(f.cluster, "c-0", old, replaced, PlannerFixture.NOW)));
    List<Action> actions = f.plan(step).actions();
    assertEquals(1, actions.size(), actions.toString());
    Action.Patch reissue = (Action.Patch) actions.get(0);
    assertEquals("c-0-agent-tls", reissue.name());
    assertTrue(reissue.why().contains("not issued by the current CA"), reissue.why());
  }

  @Test
  void theCertificateOfAPodThatIsGoneAndNotWantedIsDeleted() {
    PlannerFixture f = withCa(1);
    Secret ca = (Secret) f.owned.get(0);
    CertificateAuthority authority = ClusterAuthority.read(ca).orElseThrow();
    f.owned.add(
        versioned(
            AgentCertificates.podSecret(f.cluster, "c-0", authority, ca, PlannerFixture.NOW)));
    f.owned.add(
        versioned(
            AgentCertificates.podSecret(f.cluster, "c-1", authority, ca, PlannerFixture.NOW)));
    assertEquals(
        List.of(new Action.Delete(Secret.class, "c-1-agent-tls", "its pod is gone")),
        f.plan(step).actions());
  }

  @Test
  void aScaledDownPodThatStillExistsKeepsItsCertificate() {
    PlannerFixture f = withCa(1);
    Secret ca = (Secret) f.owned.get(0);
    CertificateAuthority authority = ClusterAuthority.read(ca).orElseThrow();
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.owned.add(
        versioned(
            AgentCertificates.podSecret(f.cluster, "c-0", authority, ca, PlannerFixture.NOW)));
    f.owned.add(
        versioned(
            AgentCertificates.podSecret(f.cluster, "c-1", authority, ca, PlannerFixture.NOW)));
    assertEquals(List.of(), f.plan(step).actions());
  }

  @Test
  void theControllerIdentityIsReissuedWhenTheCaChangesOrRenewalIsDue() {
    PlannerFixture f = withCa(1);
    Secret ca = (Secret) f.owned.get(0);
    ControllerIdentity identity = new ControllerIdentity();
    var first = identity.credentials(ca, PlannerFixture.NOW).orElseThrow();
    assertTrue(
        first == identity.credentials(ca, PlannerFixture.NOW.plusSeconds(3600)).orElseThrow(),
        "kept while current");
    var renewed = identity.credentials(ca, first.renewAt()).orElseThrow();
    assertTrue(renewed != first, "renewed two thirds into its validity");
    Secret newCa = versioned(ClusterAuthority.AGENT.newSecret(f.cluster, PlannerFixture.NOW));
    newCa.getMetadata().setResourceVersion("2");
    assertTrue(
        identity.credentials(newCa, first.renewAt()).orElseThrow() != renewed,
        "a new CA means a new certificate");
  }

  private static PlannerFixture withCa(int instances) {
    PlannerFixture f = new PlannerFixture(instances, null);
    f.owned.add(versioned(ClusterAuthority.AGENT.newSecret(f.cluster, PlannerFixture.NOW)));
    return f;
  }

  private static Secret versioned(Secret secret) {
    secret.getMetadata().setResourceVersion("1");
    return secret;
  }
}
