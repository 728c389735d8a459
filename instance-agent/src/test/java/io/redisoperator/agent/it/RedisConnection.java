package io.redisoperator.agent.it;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redisoperator.agent.redis.InfoParser;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.AgentApi;
import java.time.Duration;

/**
 * A plain client to one test Redis: what an application would see. Connects lazily, reconnects
 * after errors.
 */
final class RedisConnection implements AutoCloseable {
  private final RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  RedisConnection(String host, String password) {
    this(host, password, null);
  }

  /**
   * Over TLS when {@code trustedCa} is set: the server's certificate must chain to that PEM file
   * (no name check).
   */
  RedisConnection(String host, String password, java.nio.file.Path trustedCa) {
    this(host, null, password, trustedCa);
  }

  /**
   * As {@link #RedisConnection(String, String, java.nio.file.Path)}, as {@code user} (null:
   * default).
   */
  RedisConnection(String host, String user, String password, java.nio.file.Path trustedCa) {
    this(host, AgentApi.REDIS_PORT, user, password, trustedCa);
  }

  /** To another port than Redis' usual one (the TLS migration mode's plaintext port). */
  RedisConnection(
      String host, int port, String user, String password, java.nio.file.Path trustedCa) {
    RedisURI.Builder uri =
        RedisURI.builder().withHost(host).withPort(port).withTimeout(Duration.ofSeconds(2));
    if (user == null) {
      uri.withPassword(password.toCharArray());
    } else {
      uri.withAuthentication(user, password.toCharArray());
    }
    if (trustedCa != null) {
      uri.withSsl(true).withVerifyPeer(io.lettuce.core.SslVerifyMode.CA);
    }
    client = RedisClient.create(uri.build());
    if (trustedCa != null) {
      client.setOptions(
          io.lettuce.core.ClientOptions.builder()
              .sslOptions(
                  io.lettuce.core.SslOptions.builder()
                      .jdkSslProvider()
                      .trustManager(trustedCa.toFile())
                      .build())
              .build());
    }
  }

  synchronized RedisCommands<String, String> sync() {
    if (connection == null || !connection.isOpen()) {
      connection = client.connect();
    }
    return connection.sync();
  }

  synchronized io.lettuce.core.api.async.RedisAsyncCommands<String, String> async() {
    sync();
    return connection.async();
  }

  boolean ping() {
    try {
      return "PONG".equals(sync().ping());
    } catch (RuntimeException e) {
      reset();
      return false;
    }
  }

  /** SET; returns null when acknowledged, else the error Redis answered. */
  String trySet(String key, String value) {
    try {
      sync().set(key, value);
      return null;
    } catch (RuntimeException e) {
      return String.valueOf(e.getMessage());
    }
  }

  RedisInfo info(String section) {
    return InfoParser.parse(sync().info(section));
  }

  synchronized void reset() {
    if (connection != null) {
      connection.closeAsync();
      connection = null;
    }
  }

  @Override
  public void close() {
    reset();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
  }
}
