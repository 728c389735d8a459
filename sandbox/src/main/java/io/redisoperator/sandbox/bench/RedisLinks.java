package io.redisoperator.sandbox.bench;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.redisoperator.protocol.agent.AgentApi;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Lettuce connections of the writer and the probes. They come from {@link BenchAddresses#CLIENT_IP}, the address a
 * partition leaves connected (a client that still reaches the cut-off primary is what split brain is about), fail
 * fast, and never reconnect on their own: the caller decides where to write next.
 */
final class RedisLinks implements AutoCloseable {
  private final ClientResources resources;
  private final RedisClient client;
  private final String password;

  RedisLinks(String password, Duration commandTimeout) {
    this.password = password;
    this.resources = ClientResources.builder().nettyCustomizer(new NettyCustomizer() {
      @Override
      public void afterBootstrapInitialized(Bootstrap bootstrap) {
        bootstrap.localAddress(new InetSocketAddress(BenchAddresses.CLIENT_IP, 0));
      }
    }).build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofMillis(200)).build())
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .build());
  }

  StatefulRedisConnection<String, String> connect(String ip) {
    RedisURI uri = RedisURI.builder().withHost(ip).withPort(AgentApi.REDIS_PORT)
        .withPassword(password.toCharArray()).withTimeout(Duration.ofMillis(500)).build();
    return client.connect(uri);
  }

  /** The {@code master_replid} of the node behind the connection. */
  static String replId(StatefulRedisConnection<String, String> connection) {
    for (String line : connection.sync().info("replication").split("\r?\n")) {
      if (line.startsWith("master_replid:")) {
        return line.substring("master_replid:".length()).trim();
      }
    }
    return "unknown";
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown();
  }
}
