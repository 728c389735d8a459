package io.redisoperator.plugin;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A loopback TCP proxy to Redis that authenticates each connection itself ({@code AUTH} sent on the
 * upstream socket, its {@code +OK} swallowed), so {@code redis-cli} runs interactive with no
 * password in its argv, its environment or the terminal. Refuses a connection (closing it) when
 * Redis rejects the password.
 */
final class AuthProxy implements Closeable {
  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final byte[] password;

  AuthProxy(InetSocketAddress upstream, byte[] password) throws IOException {
    this.upstream = upstream;
    this.password = password.clone();
    this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "auth-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> serve(client), "auth-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        Socket redis = new Socket()) {
      redis.connect(upstream, 10_000);
      OutputStream up = redis.getOutputStream();
      up.write(authCommand(password));
      up.flush();
      String reply = readLine(redis.getInputStream());
      if (!reply.startsWith("+")) {
        client
            .getOutputStream()
            .write(
                ("-ERR kubectl-redis: Redis refused the cluster's password (" + reply + ")\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        return;
      }
      Thread down = new Thread(() -> pipe(redis, client), "auth-proxy-down");
      down.setDaemon(true);
      down.start();
      pipe(client, redis);
      down.join();
    } catch (IOException | InterruptedException e) {
      // the connection ends; redis-cli reports it
    }
  }

  static byte[] authCommand(byte[] password) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] head =
        ("*2\r\n$4\r\nAUTH\r\n$" + password.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
    out.write(head, 0, head.length);
    out.write(password, 0, password.length);
    out.write('\r');
    out.write('\n');
    return out.toByteArray();
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // either side closed
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    Arrays.fill(password, (byte) 0);
    server.close();
  }
}
