package io.redisoperator.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TlsSessionCachesTest {
  private final String before = System.getProperty(TlsSessionCaches.SIZE_PROPERTY);

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(TlsSessionCaches.SIZE_PROPERTY);
    } else {
      System.setProperty(TlsSessionCaches.SIZE_PROPERTY, before);
    }
  }

  private static int clientSessionCacheSize() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, null, null);
    return context.getClientSessionContext().getSessionCacheSize();
  }

  @Test
  void aTlsContextBuiltAfterwardsKeepsFewSessions() throws Exception {
    System.clearProperty(TlsSessionCaches.SIZE_PROPERTY);
    TlsSessionCaches.bound();
    assertEquals(TlsSessionCaches.SESSIONS_PER_CONTEXT, clientSessionCacheSize());
  }

  @Test
  void aSizeGivenToTheJvmIsKept() throws Exception {
    System.setProperty(TlsSessionCaches.SIZE_PROPERTY, "100");
    TlsSessionCaches.bound();
    assertEquals(100, clientSessionCacheSize());
  }
}
