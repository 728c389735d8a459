package io.redisoperator.controller.agent;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import org.junit.jupiter.api.Test;

class AgentTlsEngineTest {
  @Test
  void theNativeLibraryLoadsOnTheBuildPlatform() {
    // The jar carries BoringSSL for linux-x86_64 and linux-aarch_64: the agent client tests of this
    // module then run on it (StatusTimeoutTest's certificate naming another pod among them).
    assertTrue(OpenSSLEngineOptions.isAvailable(), () -> String.valueOf(nativeFailure()));
    assertInstanceOf(OpenSSLEngineOptions.class, AgentTlsEngine.options());
  }

  @Test
  void nativeUnlessTheJdksIsAskedForOrTheLibraryIsMissing() {
    assertInstanceOf(OpenSSLEngineOptions.class, AgentTlsEngine.choose("native", true));
    assertInstanceOf(JdkSSLEngineOptions.class, AgentTlsEngine.choose("native", false));
    assertInstanceOf(JdkSSLEngineOptions.class, AgentTlsEngine.choose("jdk", true));
  }

  @Test
  void handshakesRunOnAWorkerEitherWay() {
    for (SSLEngineOptions options :
        new SSLEngineOptions[] {
          AgentTlsEngine.choose("native", true), AgentTlsEngine.choose("jdk", true)
        }) {
      assertTrue(options.getUseWorkerThread(), AgentTlsEngine.name(options));
    }
  }

  @Test
  void anUnknownEngineIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> AgentTlsEngine.choose("openssl3", true));
  }

  private static Throwable nativeFailure() {
    return io.netty.handler.ssl.OpenSsl.unavailabilityCause();
  }
}
