package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.StoredCertificates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The agent API's certificates for a cluster, from its agent CA ({@link ClusterAuthority#AGENT}):
 * one Secret per data pod with that pod's server certificate, its key and the CA certificate. Each
 * pod mounts only its own, so no pod holds anything that authenticates it to a sibling.
 */
public final class AgentCertificates {
  static final Duration POD_VALIDITY = Duration.ofDays(90);
  public static final Duration CONTROLLER_VALIDITY = Duration.ofDays(1);

  /** Enough for every pod of a few thousand clusters. */
  private static final StoredAgentCertificates STORED =
      new StoredAgentCertificates(16_384, CertificateSecrets::verifySignature);

  private AgentCertificates() {}

  public static Secret podSecret(
      RedisCluster cluster, String podName, CertificateAuthority ca, Secret caSecret, Instant now) {
    KeyMaterial issued =
        ca.issue(
            CertificateRequest.server(
                podName,
                AgentTls.podNames(podName, cluster.getMetadata().getNamespace()),
                POD_VALIDITY),
            now);
    STORED.store(ca.certificate(), podName, issued.leaf());
    return CertificateSecrets.issued(
        cluster, ResourceNames.agentTlsSecret(podName), ca, issued, caSecret);
  }

  /**
   * Why a pod's Secret must be issued again: unreadable, not from the current CA, not naming the
   * pod, an outdated CA bundle, or two thirds into its validity. Empty when it is current, and its
   * certificate is then the one {@link #stored()} holds for the pod.
   */
  public static Optional<String> reissueReason(
      Secret existing, String podName, CertificateAuthority ca, Secret caSecret, Instant now) {
    Optional<String> reason =
        CertificateSecrets.reissueReason(existing, Set.of(podName), ca, caSecret, now);
    if (reason.isEmpty()) {
      ClusterSecrets.value(existing, InstanceLayout.SECRET_KEY_TLS_CERT)
          .map(CertificateSecrets::parseOrEmpty)
          .filter(chain -> !chain.isEmpty())
          .ifPresent(chain -> STORED.store(ca.certificate(), podName, chain.get(0)));
    }
    return reason;
  }

  /**
   * The agent certificate the controller issued or found current for each pod, for the agents' HTTP
   * clients ({@link AgentTls#podTrust(List, StoredCertificates)}).
   */
  public static StoredCertificates stored() {
    return STORED;
  }
}
