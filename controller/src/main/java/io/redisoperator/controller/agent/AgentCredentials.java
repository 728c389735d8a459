package io.redisoperator.controller.agent;

import io.redisoperator.controller.resources.AgentCertificates;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateLifetime;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What the controller presents to one cluster's agents and what it trusts of them: its client
 * certificate from the cluster's agent CA, and that CA (bundle). One TLS configuration for all the
 * cluster's pods ({@link AgentTls#podTrust}): each connection is held to the name of the pod it was
 * opened for, and a pod presenting exactly the certificate the controller keeps for it ({@link
 * AgentCertificates#stored}) needs no PKIX check. It is built once and kept, so the HTTP client
 * reuses its TLS context and its connections.
 */
public final class AgentCredentials {
  private final KeyMaterial controller;
  private final List<X509Certificate> trusted;
  private volatile ClientSSLOptions tls;

  public AgentCredentials(KeyMaterial controller, List<X509Certificate> trusted) {
    this.controller = controller;
    this.trusted = List.copyOf(trusted);
  }

  /**
   * The TLS options for calls to this cluster's agents; the HTTP client keys its connections by
   * them (the same instance every time) and by the pod.
   */
  public ClientSSLOptions tls() {
    ClientSSLOptions current = tls;
    if (current == null) {
      synchronized (this) {
        if (tls == null) {
          tls = build();
        }
        current = tls;
      }
    }
    return current;
  }

  private ClientSSLOptions build() {
    try {
      return new ClientSSLOptions()
          .setKeyCertOptions(KeyCertOptions.wrap(AgentTls.keyManager(controller)))
          .setTrustOptions(
              TrustOptions.wrap(AgentTls.podTrust(trusted, AgentCertificates.stored())))
          // The trust manager checks the pod's name itself; HTTPS host name rules play no part.
          .setHostnameVerificationAlgorithm("");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the agents' TLS context: " + e.getMessage(), e);
    }
  }

  /** When the client certificate is to be replaced (two thirds into its validity). */
  public Instant renewAt() {
    return CertificateLifetime.renewAt(controller.leaf());
  }

  public KeyMaterial controller() {
    return controller;
  }

  @Override
  public String toString() {
    return "AgentCredentials[" + controller + "]";
  }
}
