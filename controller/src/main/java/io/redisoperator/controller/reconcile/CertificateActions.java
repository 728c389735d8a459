package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.resources.ClusterAuthority;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@link AgentTlsStep} and {@link RedisTlsStep} both do: keep a cluster's CA in its Secret,
 * and issue a certificate Secret from it, or issue it again when it is no longer current.
 */
final class CertificateActions {

  /**
   * A CA that can issue, and the Secret it was read from (whose CA bundle issued Secrets carry).
   */
  record Issuer(CertificateAuthority ca, Secret secret) {}

  private CertificateActions() {}

  /**
   * The cluster's {@code authority} from its Secret. A missing Secret is created in this pass, so
   * what it issues can be created in the same pass; an unreadable one is replaced, and nothing can
   * be issued until the next pass reads the new one (empty).
   */
  static Optional<Issuer> authority(ReconcileInput in, Plan plan, ClusterAuthority authority) {
    String caName = authority.secretName(in.name());
    Optional<Secret> caSecret = in.owned().get(Secret.class, caName);
    if (caSecret.isEmpty()) {
      caSecret = Optional.of(authority.newSecret(in.cluster(), in.now()));
      plan.add(new Action.Create(caSecret.get()));
    }
    Optional<CertificateAuthority> ca = ClusterAuthority.read(caSecret.get());
    if (ca.isEmpty()) {
      Secret fresh = authority.newSecret(in.cluster(), in.now());
      plan.add(
          new Action.Patch(
              Secret.class,
              caName,
              Map.of("data", fresh.getData()),
              authority.description() + " unreadable, replaced"));
      return Optional.empty();
    }
    return Optional.of(new Issuer(ca.get(), caSecret.get()));
  }

  /**
   * Creates the certificate Secret {@code secretName} when it is missing, and patches in a new
   * certificate when {@code reissueReason} names why the existing one is no longer current.
   *
   * @param issue a new certificate Secret
   * @param what the certificate, as the patch's reason names it ("agent certificate")
   */
  static void issueOrRenew(
      ReconcileInput in,
      Plan plan,
      String secretName,
      Supplier<Secret> issue,
      Function<Secret, Optional<String>> reissueReason,
      String what) {
    Optional<Secret> existing = in.owned().get(Secret.class, secretName);
    if (existing.isEmpty()) {
      plan.add(new Action.Create(issue.get()));
      return;
    }
    Optional<String> reason = reissueReason.apply(existing.get());
    if (reason.isPresent()) {
      plan.add(
          new Action.Patch(
              Secret.class, secretName, renewal(issue.get()), what + " " + reason.get()));
    }
  }

  /**
   * The merge patch that puts a newly issued certificate Secret's data and annotations (its seal)
   * in place of the existing one's.
   */
  static Map<String, Object> renewal(Secret issued) {
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("data", issued.getData());
    Map<String, String> annotations = issued.getMetadata().getAnnotations();
    if (annotations != null && !annotations.isEmpty()) {
      patch.put("metadata", Map.of("annotations", annotations));
    }
    return patch;
  }
}
