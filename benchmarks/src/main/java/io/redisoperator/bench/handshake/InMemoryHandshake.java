package io.redisoperator.bench.handshake;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * One full handshake between a client and a server engine, their records passed in memory on the
 * calling thread, each side's CPU counted apart. The client's session is invalidated after it, so
 * the next handshake is full again (as a restarted controller's first contacts are).
 */
final class InMemoryHandshake {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final int BUFFER = 1 << 17;
  private static final int MAX_ROUNDS = 50;

  /** The negotiated session and the CPU each side used, in nanoseconds. */
  record Result(String protocol, String cipherSuite, long clientCpuNanos, long serverCpuNanos) {}

  private InMemoryHandshake() {}

  /**
   * {@code client} connects to {@code peerHost} (the pod's name, as the controller does); {@code
   * server} requires a client certificate, as the agent does.
   */
  static Result run(SSLContext client, SSLContext server, String peerHost) throws SSLException {
    SSLEngine c = client.createSSLEngine(peerHost, 8443);
    c.setUseClientMode(true);
    SSLEngine s = server.createSSLEngine();
    s.setUseClientMode(false);
    s.setNeedClientAuth(true);
    ByteBuffer toServer = ByteBuffer.allocate(BUFFER);
    ByteBuffer toClient = ByteBuffer.allocate(BUFFER);
    ByteBuffer clientApp = ByteBuffer.allocate(BUFFER);
    ByteBuffer serverApp = ByteBuffer.allocate(BUFFER);
    c.beginHandshake();
    s.beginHandshake();
    long clientNanos = 0;
    long serverNanos = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      long t0 = THREADS.getCurrentThreadCpuTime();
      boolean clientMoved = step(c, toClient, toServer, clientApp);
      long t1 = THREADS.getCurrentThreadCpuTime();
      boolean serverMoved = step(s, toServer, toClient, serverApp);
      clientNanos += t1 - t0;
      serverNanos += THREADS.getCurrentThreadCpuTime() - t1;
      if (finished(c) && finished(s) && toServer.position() == 0 && toClient.position() == 0) {
        SSLSession session = c.getSession();
        session.invalidate();
        return new Result(
            session.getProtocol(), session.getCipherSuite(), clientNanos, serverNanos);
      }
      if (!clientMoved && !serverMoved) {
        break;
      }
    }
    throw new SSLException(
        "the handshake did not finish: client "
            + c.getHandshakeStatus()
            + ", server "
            + s.getHandshakeStatus());
  }

  private static boolean finished(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  /**
   * What the engine can do now: read what the peer sent, run its tasks (the crypto), write what it
   * has to send. Whether it did anything.
   */
  private static boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app)
      throws SSLException {
    boolean movedAtAll = false;
    boolean moved = true;
    while (moved) {
      moved = false;
      in.flip();
      if (in.hasRemaining()) {
        moved = engine.unwrap(in, app).bytesConsumed() > 0;
      }
      in.compact();
      Runnable task;
      while ((task = engine.getDelegatedTask()) != null) {
        task.run();
        moved = true;
      }
      if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
        moved |= engine.wrap(ByteBuffer.allocate(0), out).bytesProduced() > 0;
      }
      movedAtAll |= moved;
    }
    return movedAtAll;
  }
}
