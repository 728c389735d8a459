package io.redisoperator.controller.agent;

import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateLifetime;
import io.redisoperator.protocol.tls.KeyMaterial;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/**
 * What the controller presents to one cluster's agents and what it trusts of them: its client
 * certificate from the cluster's agent CA, and that CA (bundle). One TLS context per pod, so each
 * pod is held to its own name; the contexts are kept so the HTTP client reuses its connections.
 */
public final class AgentCredentials {
  private final KeyMaterial controller;
  private final List<X509Certificate> trusted;
  private final Map<String, HttpsConnectionContext> contexts = new ConcurrentHashMap<>();

  public AgentCredentials(KeyMaterial controller, List<X509Certificate> trusted) {
    this.controller = controller;
    this.trusted = List.copyOf(trusted);
  }

  /** The TLS context for calls to {@code podName}'s agent. */
  public HttpsConnectionContext contextFor(String podName) {
    return contexts.computeIfAbsent(podName, p -> ConnectionContext.httpsClient(sslContext(p)));
  }

  SSLContext sslContext(String podName) {
    try {
      return AgentTls.clientContext(controller, trusted, podName);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot build the TLS context for " + podName + ": " + e.getMessage(), e);
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
