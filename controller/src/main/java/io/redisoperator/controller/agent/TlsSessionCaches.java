package io.redisoperator.controller.agent;

/**
 * Bounds the TLS session cache of every TLS context the controller builds. Each cluster's agent
 * client has its own context, and the JDK keeps up to 20480 sessions per context for a day: every
 * handshake (and every TLS 1.3 session ticket) adds one, so the start-up's handshakes left about 60
 * sessions per cluster in the heap (18,500 at 300 clusters, softly held, so a full collection kept
 * them). A session is only worth keeping to resume the next connection to the same pod.
 */
public final class TlsSessionCaches {
  /** The JDK's default size of a new TLS context's session caches. */
  static final String SIZE_PROPERTY = "javax.net.ssl.sessionCacheSize";

  /** Sessions a context keeps: one per pod of a cluster of up to this many instances. */
  public static final int SESSIONS_PER_CONTEXT = 8;

  private TlsSessionCaches() {}

  /**
   * Sets the size for every TLS context built after this call, unless the JVM was given one ({@code
   * -Djavax.net.ssl.sessionCacheSize}).
   */
  public static void bound() {
    if (System.getProperty(SIZE_PROPERTY) == null) {
      System.setProperty(SIZE_PROPERTY, Integer.toString(SESSIONS_PER_CONTEXT));
    }
  }
}
