package io.redisoperator.controller.agent;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS implementation of the agent calls: BoringSSL (netty-tcnative) where its native library
 * loads, the JDK's otherwise or when {@code -Dredisoperator.agentTlsEngine=jdk} asks for it.
 *
 * <p>Why native: the chart runs the controller on C1 only ({@code -XX:TieredStopAtLevel=1}), where
 * the JDK's TLS runs its elliptic-curve and AES-GCM arithmetic as plain Java, without the
 * intrinsics C2 has. A restarted controller of 1000 clusters opens 3000 connections at once, and
 * P-256 and X25519 arithmetic was over half of its CPU in a flight recording (docs/performance.md,
 * "Density"); the steady polls' records paid AES-GCM and GHASH in Java too.
 *
 * <p>Either way the handshake's work runs on a worker, not on the event loop: a restarted
 * controller opening hundreds of connections kept its event loops busy with handshakes, and the
 * answers of the primaries already connected waited behind them past their overdue time. The
 * certificate checks stay the JDK trust manager's ({@code PodTrust}), which Netty calls from either
 * engine with the pod's name as the peer host.
 */
final class AgentTlsEngine {
  private static final Logger log = LoggerFactory.getLogger(AgentTlsEngine.class);

  static final String PROPERTY = "redisoperator.agentTlsEngine";

  private AgentTlsEngine() {}

  /** The engine options for the agent clients, as the property and the platform allow. */
  static SSLEngineOptions options() {
    String asked = System.getProperty(PROPERTY, "native");
    SSLEngineOptions chosen = choose(asked, OpenSSLEngineOptions.isAvailable());
    log.info("agent calls use {} TLS", name(chosen));
    return chosen;
  }

  /**
   * Native unless the JDK's was asked for ({@code jdk}) or the native library is not available; any
   * other value is refused, so a typo does not silently change the engine.
   */
  static SSLEngineOptions choose(String asked, boolean nativeAvailable) {
    switch (asked) {
      case "jdk":
        return new JdkSSLEngineOptions().setUseWorkerThread(true);
      case "native":
        if (nativeAvailable) {
          return new OpenSSLEngineOptions().setUseWorkerThread(true);
        }
        log.warn(
            "netty-tcnative's BoringSSL did not load on this platform: agent calls use the JDK's"
                + " TLS (a restart of 1000 clusters used 40 % more CPU with it)");
        return new JdkSSLEngineOptions().setUseWorkerThread(true);
      default:
        throw new IllegalArgumentException(
            "-D" + PROPERTY + "=" + asked + ": expected native or jdk");
    }
  }

  static String name(SSLEngineOptions options) {
    return options instanceof OpenSSLEngineOptions ? "native (BoringSSL)" : "the JDK's";
  }
}
