package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * Redis over TLS: client, replication and the agent's own connections. The plaintext port is off,
 * unless {@link #plaintextPort} keeps one open while clients move to TLS. Certificates are the
 * user's ({@link #serverSecret} and {@link #caSecret}) or, when both are absent, issued and renewed
 * by the operator.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {
  @JsonPropertyDescription(
      "Secret with tls.crt and tls.key for every data pod (its names must cover the Services and pods clients use)."
          + " Absent: the operator issues one from its own CA (<cluster>-redis-ca) and renews it.")
  private SecretReference serverSecret;

  @JsonPropertyDescription(
      "Secret with ca.crt, the CA that signed serverSecret. Required with serverSecret.")
  private SecretReference caSecret;

  @JsonPropertyDescription(
      "Secret the operator writes for clients: hosts, port, rediss:// URLs and ca.crt. Default <cluster>-tls-client.")
  private String clientSecret;

  @JsonPropertyDescription(
      "Migration: Redis also serves plaintext on this port (and the Services expose it) beside TLS on 6379, for"
          + " clients not yet moved to TLS; condition PlaintextServed says so. Remove it to close the port: applied"
          + " live, no restart. Absent: TLS only.")
  @io.fabric8.generator.annotation.Min(1024)
  @io.fabric8.generator.annotation.Max(65535)
  private Integer plaintextPort;

  public Integer getPlaintextPort() {
    return plaintextPort;
  }

  public void setPlaintextPort(Integer plaintextPort) {
    this.plaintextPort = plaintextPort;
  }

  public SecretReference getServerSecret() {
    return serverSecret;
  }

  public void setServerSecret(SecretReference serverSecret) {
    this.serverSecret = serverSecret;
  }

  public SecretReference getCaSecret() {
    return caSecret;
  }

  public void setCaSecret(SecretReference caSecret) {
    this.caSecret = caSecret;
  }

  public String getClientSecret() {
    return clientSecret;
  }

  public void setClientSecret(String clientSecret) {
    this.clientSecret = clientSecret;
  }

  /** True when the operator issues the certificates. */
  public boolean operatorManaged() {
    return serverSecret == null && caSecret == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsSpec other
        && Objects.equals(serverSecret, other.serverSecret)
        && Objects.equals(caSecret, other.caSecret)
        && Objects.equals(clientSecret, other.clientSecret)
        && Objects.equals(plaintextPort, other.plaintextPort);
  }

  @Override
  public int hashCode() {
    return Objects.hash(serverSecret, caSecret, clientSecret, plaintextPort);
  }
}
