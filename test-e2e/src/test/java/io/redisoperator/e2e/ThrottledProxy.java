package io.redisoperator.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that forwards to a local port, slowing what clients send to {@code
 * bytesPerSecond}: makes an upload last long enough for a scenario to interrupt it.
 */
final class ThrottledProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final long bytesPerSecond;
  private final Thread acceptor;

  ThrottledProxy(int targetPort, long bytesPerSecond) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.targetPort = targetPort;
    this.bytesPerSecond = bytesPerSecond;
    this.acceptor = new Thread(this::accept, "throttled-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getByName("127.0.0.1"), targetPort);
        pump(client.getInputStream(), upstream.getOutputStream(), bytesPerSecond, client, upstream);
        pump(upstream.getInputStream(), client.getOutputStream(), 0, client, upstream);
      } catch (IOException e) {
        // closed, or the upstream is gone: the client sees its connection fail
      }
    }
  }

  private static void pump(InputStream in, OutputStream out, long rate, Socket a, Socket b) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[4096];
              long start = System.nanoTime();
              long sent = 0;
              try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                  sent += n;
                  if (rate > 0) {
                    long due = start + sent * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                      LockSupport.parkNanos(
                          wait); // the throttle itself, not a wait for a condition
                    }
                  }
                }
              } catch (IOException e) {
                // one side closed
              } finally {
                closeQuietly(a);
                closeQuietly(b);
              }
            },
            "throttled-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
