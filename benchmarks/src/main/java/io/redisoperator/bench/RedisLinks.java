package io.redisoperator.bench;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Lettuce connections of the writer and the probes. They fail fast and never reconnect on their
 * own: like a client application behind a Service, the caller opens a new connection after an error
 * (which is what the Service routes to the new primary).
 */
final class RedisLinks implements AutoCloseable {
  private final RedisClient client;
  private final String password;
  private final java.nio.file.Path tlsCa;

  RedisLinks(String password, Duration commandTimeout) {
    this(password, commandTimeout, null);
  }

  /**
   * @param tlsCa null: plaintext; else TLS, the server's certificate checked against this CA (no
   *     host name check)
   */
  RedisLinks(String password, Duration commandTimeout, java.nio.file.Path tlsCa) {
    this.password = password;
    this.tlsCa = tlsCa;
    this.client = RedisClient.create();
    ClientOptions.Builder options = ClientOptions.builder();
    if (tlsCa != null) {
      options.sslOptions(
          io.lettuce.core.SslOptions.builder()
              .jdkSslProvider()
              .trustManager(tlsCa.toFile())
              .build());
    }
    client.setOptions(
        options
            .autoReconnect(false)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofMillis(300)).build())
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .build());
  }

  StatefulRedisConnection<String, String> connect(InetSocketAddress address) {
    RedisURI.Builder uri =
        RedisURI.builder()
            .withHost(address.getHostString())
            .withPort(address.getPort())
            .withAuthentication("default", password.toCharArray())
            .withTimeout(Duration.ofMillis(500));
    if (tlsCa != null) {
      // Service and pod addresses are the sandbox's loopback proxies, which no certificate names:
      // the chain is checked.
      uri.withSsl(true).withVerifyPeer(io.lettuce.core.SslVerifyMode.CA);
    }
    return client.connect(uri.build());
  }

  /**
   * A connection to the primary the sentinels name for {@code master}, through Lettuce's Sentinel
   * support as a Sentinel-aware application has it: the sentinels are asked in order, the data
   * password is used for the primary. With TLS, the sentinels and the primary are reached over TLS,
   * their chain checked against the CA (Sentinel names pods by IP, which no certificate names).
   */
  StatefulRedisConnection<String, String> connectViaSentinel(
      List<InetSocketAddress> sentinels, String master) {
    RedisURI.Builder builder =
        RedisURI.Builder.sentinel(
            sentinels.get(0).getHostString(), sentinels.get(0).getPort(), master);
    for (InetSocketAddress sentinel : sentinels.subList(1, sentinels.size())) {
      builder.withSentinel(sentinel.getHostString(), sentinel.getPort());
    }
    builder
        .withAuthentication("default", password.toCharArray())
        .withTimeout(Duration.ofMillis(500));
    if (tlsCa != null) {
      // After the sentinels are added: it applies to them and to the primary they name.
      builder.withSsl(true).withVerifyPeer(io.lettuce.core.SslVerifyMode.CA);
    }
    return client.connect(builder.build());
  }

  /** The {@code master_replid} of the node behind the connection. */
  static String replId(StatefulRedisConnection<String, String> connection) {
    return field(connection.sync().info("replication"), "master_replid").orElse("unknown");
  }

  /**
   * The node's own address as it sees this connection ({@code laddr} of CLIENT INFO): behind a
   * Service proxy, the pod that actually took the write.
   */
  static String nodeIp(StatefulRedisConnection<String, String> connection) {
    String info = connection.sync().clientInfo();
    return localAddress(info)
        .orElseThrow(() -> new IllegalStateException("CLIENT INFO without laddr: " + info));
  }

  /** The host of the {@code laddr=host:port} field of a CLIENT INFO line. */
  static Optional<String> localAddress(String clientInfo) {
    for (String part : clientInfo.trim().split(" ")) {
      if (part.startsWith("laddr=")) {
        String address = part.substring("laddr=".length());
        int colon = address.lastIndexOf(':');
        return Optional.of(colon > 0 ? address.substring(0, colon) : address);
      }
    }
    return Optional.empty();
  }

  /** A field of an INFO section. */
  static Optional<String> field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return Optional.of(line.substring(name.length() + 1).trim());
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
