package io.redisoperator.controller.agent;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.resources.AgentCertificates;
import io.redisoperator.controller.resources.ClusterAuthority;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's client certificate for one cluster: issued in memory from the cluster's agent CA
 * (never written anywhere) for the controller's one key ({@link ControllerKey}), again when the CA
 * Secret changes and when two thirds of its validity have passed. Open connections keep the
 * certificate they started with; new ones use the new.
 */
public final class ControllerIdentity {
  private static final Logger log = LoggerFactory.getLogger(ControllerIdentity.class);

  /** One key for every cluster of this controller process. */
  private static final ControllerKey SHARED_KEY = new ControllerKey();

  private final ControllerKey key;
  private String caVersion;
  private AgentCredentials current;

  public ControllerIdentity() {
    this(SHARED_KEY);
  }

  ControllerIdentity(ControllerKey key) {
    this.key = key;
  }

  /**
   * The credentials for the cluster whose agent CA Secret this is; empty while there is no usable
   * CA.
   */
  public synchronized Optional<AgentCredentials> credentials(Secret caSecret, Instant now) {
    if (caSecret == null) {
      return Optional.empty();
    }
    String version = caSecret.getMetadata().getResourceVersion();
    if (current != null && Objects.equals(version, caVersion) && now.isBefore(current.renewAt())) {
      return Optional.of(current);
    }
    Optional<CertificateAuthority> ca = ClusterAuthority.read(caSecret);
    if (ca.isEmpty()) {
      return Optional.ofNullable(current);
    }
    current =
        new AgentCredentials(
            ca.get()
                .issue(
                    CertificateRequest.client(
                        AgentTls.CONTROLLER_NAME, AgentCertificates.CONTROLLER_VALIDITY),
                    key.current(now),
                    now),
            ClusterAuthority.trusted(caSecret));
    caVersion = version;
    log.info("controller client certificate issued, renewed from {}", current.renewAt());
    return Optional.of(current);
  }
}
