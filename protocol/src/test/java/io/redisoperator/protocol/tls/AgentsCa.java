package io.redisoperator.protocol.tls;

import java.time.Duration;
import java.time.Instant;

/**
 * An agents' CA with the two certificates the TLS tests start from: pod {@code rc-0}'s (namespace
 * {@code ns}, 90 days) and the controller's client certificate (1 day).
 */
final class AgentsCa {
  final CertificateAuthority ca;
  final KeyMaterial pod0;
  final KeyMaterial controller;

  AgentsCa(Instant now) {
    ca = CertificateAuthority.create("agents", now, Duration.ofDays(3650));
    pod0 =
        ca.issue(
            CertificateRequest.server("rc-0", AgentTls.podNames("rc-0", "ns"), Duration.ofDays(90)),
            now);
    controller =
        ca.issue(CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofDays(1)), now);
  }
}
