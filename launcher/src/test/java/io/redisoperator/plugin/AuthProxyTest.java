package io.redisoperator.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The proxy authenticates upstream before the client's first byte and never shows the client the
 * AUTH exchange. The upstream here is a minimal RESP speaker; the real redis-server path is
 * exercised by the sandbox.
 */
class AuthProxyTest {

  /**
   * Accepts one connection; answers AUTH with {@code authReply}, then echoes one line back as a
   * simple string.
   */
  private static CompletableFuture<String> fakeRedis(ServerSocket server, String authReply) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Socket s = server.accept()) {
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder auth = new StringBuilder();
            for (int i = 0; i < 5; i++) {
              auth.append(in.readLine()).append('|');
            }
            OutputStream out = s.getOutputStream();
            out.write((authReply + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (authReply.startsWith("+")) {
              String line = in.readLine();
              out.write(("+echo " + line + "\r\n").getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
            return auth.toString();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static String talk(int port, String line) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }

  @Test
  void authenticatesUpstreamThenPipes() throws Exception {
    try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> seen = fakeRedis(upstream, "+OK");
      try (AuthProxy proxy =
          new AuthProxy(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.getLocalPort()),
              "p@ss word".getBytes(StandardCharsets.UTF_8))) {
        assertEquals(
            "+echo PING", talk(proxy.port(), "PING"), "the client sees only its own exchange");
      }
      assertEquals("*2|$4|AUTH|$9|p@ss word|", seen.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aRefusedPasswordEndsTheConnectionWithAnError() throws Exception {
    try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      fakeRedis(upstream, "-WRONGPASS invalid username-password pair");
      try (AuthProxy proxy =
          new AuthProxy(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.getLocalPort()),
              "wrong".getBytes(StandardCharsets.UTF_8))) {
        String reply = talk(proxy.port(), "PING");
        assertTrue(reply.startsWith("-ERR kubectl-redis: Redis refused"), reply);
      }
    }
  }
}
