package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.agent.ControllerIdentity;
import io.redisoperator.controller.resources.AgentCertificates;
import io.redisoperator.controller.resources.ClusterAuthority;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    WithCa c =
        new WithCa(2)
            .certificate("c-0", PlannerFixture.NOW.minus(Duration.ofDays(59)))
            .certificate("c-1", PlannerFixture.NOW);
    assertEquals(List.of(), c.plannedActions());
  }

  @Test
  void renewsTwoThirdsIntoTheValidityAndReissuesWhatAnotherCaSigned() {
    WithCa c = new WithCa(3);
    CertificateAuthority other =
        CertificateAuthority.create("other", PlannerFixture.NOW, Duration.ofDays(3650));
    c.certificate("c-0", PlannerFixture.NOW.minus(Duration.ofDays(61)))
        .certificate("c-1", other, c.ca, PlannerFixture.NOW)
        .certificate("c-2", PlannerFixture.NOW);
    List<Action> actions = c.plannedActions();
    assertEquals(2, actions.size(), actions.toString());
    Action.Patch renewal = (Action.Patch) actions.get(0);
    assertEquals("c-0-agent-tls", renewal.name());
    assertTrue(renewal.why().contains("renewal due"), renewal.why());
    Map<?, ?> metadata = (Map<?, ?>) ((Map<?, ?>) renewal.patch()).get("metadata");
    assertTrue(
        ((Map<?, ?>) metadata.get("annotations")).containsKey(Annotations.CERTIFICATE_SEAL),
        "the new certificate's seal replaces the old one's: " + renewal.patch());
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
    WithCa c = new WithCa(1);
    Secret replaced = ClusterAuthority.AGENT.newSecret(c.f.cluster, PlannerFixture.NOW);
    CertificateAuthority old = ClusterAuthority.read(replaced).orElseThrow();
    assertEquals(
        old.certificate().getSubjectX500Principal(),
        c.authority.certificate().getSubjectX500Principal());
    c.certificate("c-0", old, replaced, PlannerFixture.NOW);
    List<Action> actions = c.plannedActions();
    assertEquals(1, actions.size(), actions.toString());
    Action.Patch reissue = (Action.Patch) actions.get(0);
    assertEquals("c-0-agent-tls", reissue.name());
    assertTrue(reissue.why().contains("not issued by the current CA"), reissue.why());
  }

  @Test
  void theCertificateOfAPodThatIsGoneAndNotWantedIsDeleted() {
    WithCa c =
        new WithCa(1).certificate("c-0", PlannerFixture.NOW).certificate("c-1", PlannerFixture.NOW);
    assertEquals(
        List.of(new Action.Delete(Secret.class, "c-1-agent-tls", "its pod is gone")),
        c.plannedActions());
  }

  @Test
  void aScaledDownPodThatStillExistsKeepsItsCertificate() {
    WithCa c = new WithCa(1);
    c.f.pod(0, InstanceRole.PRIMARY, null);
    c.f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    c.certificate("c-0", PlannerFixture.NOW).certificate("c-1", PlannerFixture.NOW);
    assertEquals(List.of(), c.plannedActions());
  }

  @Test
  void theControllerIdentityIsReissuedWhenTheCaChangesOrRenewalIsDue() {
    WithCa c = new WithCa(1);
    ControllerIdentity identity = new ControllerIdentity();
    var first = identity.credentials(c.ca, PlannerFixture.NOW).orElseThrow();
    assertTrue(
        first == identity.credentials(c.ca, PlannerFixture.NOW.plusSeconds(3600)).orElseThrow(),
        "kept while current");
    var renewed = identity.credentials(c.ca, first.renewAt()).orElseThrow();
    assertTrue(renewed != first, "renewed two thirds into its validity");
    Secret newCa = versioned(ClusterAuthority.AGENT.newSecret(c.f.cluster, PlannerFixture.NOW));
    newCa.getMetadata().setResourceVersion("2");
    assertTrue(
        identity.credentials(newCa, first.renewAt()).orElseThrow() != renewed,
        "a new CA means a new certificate");
  }

  /** A cluster with its agent CA, and the pod certificate Secrets a test adds. */
  private final class WithCa {
    final PlannerFixture f;
    final Secret ca;
    final CertificateAuthority authority;

    WithCa(int instances) {
      f = new PlannerFixture(instances, null);
      ca = versioned(ClusterAuthority.AGENT.newSecret(f.cluster, PlannerFixture.NOW));
      authority = ClusterAuthority.read(ca).orElseThrow();
      f.owned.add(ca);
    }

    /** Adds {@code pod}'s certificate Secret, issued by the cluster's CA at {@code issuedAt}. */
    WithCa certificate(String pod, Instant issuedAt) {
      return certificate(pod, authority, ca, issuedAt);
    }

    /** Adds {@code pod}'s certificate Secret, issued by {@code issuer} at {@code issuedAt}. */
    WithCa certificate(String pod, CertificateAuthority issuer, Secret caBundle, Instant issuedAt) {
      f.owned.add(
          versioned(AgentCertificates.podSecret(f.cluster, pod, issuer, caBundle, issuedAt)));
      return this;
    }

    List<Action> plannedActions() {
      return f.plan(step).actions();
    }
  }

  private static Secret versioned(Secret secret) {
    secret.getMetadata().setResourceVersion("1");
    return secret;
  }
}
