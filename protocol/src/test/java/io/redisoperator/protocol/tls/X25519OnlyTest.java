package io.redisoperator.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class X25519OnlyTest {
  private static final Instant NOW = Instant.now();
  private final CertificateAuthority ca =
      CertificateAuthority.create("agents", NOW, Duration.ofDays(3650));
  private final SSLContext agent;
  private final SSLContext controller;

  X25519OnlyTest() throws Exception {
    agent =
        AgentTls.serverContext(
            ca.issue(
                CertificateRequest.server(
                    "rc-0", AgentTls.podNames("rc-0", "ns"), Duration.ofDays(9)),
                NOW),
            List.of(ca.certificate()));
    controller =
        AgentTls.clientContext(
            ca.issue(CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofDays(1)), NOW),
            List.of(ca.certificate()),
            "rc-0");
  }

  @Test
  void theControllerStillReachesAnAgent() throws Exception {
    assertTrue(handshake(UnaryOperator.identity(), X25519Only::applyTo));
  }

  /**
   * A peer without X25519 (as a FIPS build) completes a handshake with a client offering P-256 too,
   * and none with one restricted here: the client offers no other group at all.
   */
  @Test
  void noOtherGroupIsOffered() throws Exception {
    assertTrue(handshake(X25519OnlyTest::withoutX25519, UnaryOperator.identity()));
    assertFalse(handshake(X25519OnlyTest::withoutX25519, X25519Only::applyTo));
  }

  @Test
  void onlyTheOtherNamedGroupsAreRefused() {
    for (String group : List.of("secp256r1", "SECP384R1", "secp521r1", "x448", "ffdhe2048")) {
      assertTrue(X25519Only.isOtherNamedGroup(group), group);
    }
    for (String other : List.of("x25519", "EC", "XDH", "DiffieHellman", "SHA256withECDSA")) {
      assertFalse(X25519Only.isOtherNamedGroup(other), other);
    }
  }

  private static SSLParameters withoutX25519(SSLParameters parameters) {
    parameters.setAlgorithmConstraints(
        new AlgorithmConstraints() {
          @Override
          public boolean permits(
              Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters p) {
            return algorithm == null
                || !(algorithm.equalsIgnoreCase("x25519") || algorithm.equalsIgnoreCase("XDH"));
          }

          @Override
          public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
            return true;
          }

          @Override
          public boolean permits(
              Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters p) {
            return permits(primitives, algorithm, p);
          }
        });
    return parameters;
  }

  /** True when a TLS handshake and one byte each way succeed with these parameters. */
  private boolean handshake(
      UnaryOperator<SSLParameters> serverSide, UnaryOperator<SSLParameters> clientSide)
      throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (SSLServerSocket listener =
        (SSLServerSocket) agent.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
      SSLParameters serverParameters = serverSide.apply(listener.getSSLParameters());
      serverParameters.setNeedClientAuth(true);
      listener.setSSLParameters(serverParameters);
      CompletableFuture<Boolean> served =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                  s.setSoTimeout(5000);
                  s.startHandshake();
                  s.getOutputStream().write(s.getInputStream().read());
                  return true;
                } catch (IOException e) {
                  return false;
                }
              });
      boolean clientOk;
      try (SSLSocket s =
          (SSLSocket)
              controller.getSocketFactory().createSocket(loopback, listener.getLocalPort())) {
        s.setSSLParameters(clientSide.apply(s.getSSLParameters()));
        s.setSoTimeout(5000);
        s.startHandshake();
        s.getOutputStream().write(7);
        clientOk = s.getInputStream().read() == 7;
      } catch (IOException e) {
        clientOk = false;
      }
      return clientOk && served.get(10, TimeUnit.SECONDS);
    }
  }
}
