package io.redisoperator.agent.sentinel;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ListOfMapsOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import io.redisoperator.agent.config.Endpoint;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The agent's blocking client of its own redis-sentinel, as {@link SentinelConf#ADMIN_USER}
 * (everyone else may only read). Callers run it off the actor thread; every command is bounded by
 * the timeout.
 */
public final class SentinelCommands implements AutoCloseable {
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private StatefulRedisSentinelConnection<String, String> connection;

  /**
   * @param adminPassword null: unauthenticated (then only the read-only commands work)
   */
  public SentinelCommands(String host, int port, Duration timeout, String adminPassword) {
    this(host, port, timeout, adminPassword, null);
  }

  /**
   * @param tlsCa null: plaintext; else TLS, Sentinel's certificate checked against this CA file
   *     (read at every connect; the agent connects by IP, so no name is checked)
   */
  public SentinelCommands(
      String host, int port, Duration timeout, String adminPassword, java.nio.file.Path tlsCa) {
    this.resources =
        ClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    RedisURI.Builder builder =
        RedisURI.builder().withHost(host).withPort(port).withTimeout(timeout);
    if (adminPassword != null) {
      builder.withAuthentication(SentinelConf.ADMIN_USER, adminPassword.toCharArray());
    }
    if (tlsCa != null) {
      builder.withSsl(true).withVerifyPeer(io.lettuce.core.SslVerifyMode.CA);
    }
    this.uri = builder.build();
    this.client = RedisClient.create(resources);
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
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
            .build());
  }

  private synchronized RedisSentinelCommands<String, String> sync() {
    if (connection == null || !connection.isOpen()) {
      connection = client.connectSentinel(StringCodec.UTF8, uri);
    }
    return connection.sync();
  }

  /**
   * Drops the connection after a failure, so the next call reconnects (e.g. to a restarted
   * Sentinel).
   */
  public synchronized void disconnect() {
    if (connection != null) {
      connection.closeAsync();
      connection = null;
    }
  }

  public String ping() {
    return sync().ping();
  }

  /**
   * {@code SENTINEL get-master-addr-by-name}: empty when Sentinel does not monitor {@code master}.
   */
  public Optional<Endpoint> masterAddress(String master) {
    SocketAddress address = sync().getMasterAddrByName(master);
    if (address instanceof InetSocketAddress inet) {
      return Optional.of(new Endpoint(inet.getHostString(), inet.getPort()));
    }
    return Optional.empty();
  }

  /**
   * Forgets {@code master} if monitored, monitors it at {@code primary} and applies the options
   * again.
   */
  public void remonitor(String master, Endpoint primary, Iterable<SentinelConf.Option> options) {
    RedisSentinelCommands<String, String> sentinel = sync();
    if (sentinel.masters().stream().anyMatch(m -> master.equals(m.get("name")))) {
      sentinel.remove(master);
    }
    sentinel.monitor(master, primary.host(), primary.port(), SentinelConf.QUORUM);
    for (SentinelConf.Option option : options) {
      set(master, option);
    }
  }

  /** The replicas Sentinel remembers for {@code master} ({@code SENTINEL REPLICAS}). */
  public List<StaleEntries.Known> knownReplicas(String master) {
    return sync().replicas(master).stream().map(StaleEntries.Known::of).toList();
  }

  /**
   * The other sentinels it remembers for {@code master} ({@code SENTINEL SENTINELS}; Lettuce has no
   * typed call).
   */
  public List<StaleEntries.Known> knownSentinels(String master) {
    CommandArgs<String, String> args =
        new CommandArgs<>(StringCodec.UTF8).add("SENTINELS").add(master);
    List<Map<String, String>> entries =
        sync().dispatch(CommandType.SENTINEL, new ListOfMapsOutput<>(StringCodec.UTF8), args);
    return entries.stream().map(StaleEntries.Known::of).toList();
  }

  /**
   * {@code SENTINEL MASTER <master>}: Sentinel's state of the primary (flags, last-ok-ping-reply,
   * ...).
   */
  public Map<String, String> primary(String master) {
    return sync().master(master);
  }

  /**
   * {@code SENTINEL RESET <master>}: forgets its replicas and sentinels, which it then rediscovers.
   */
  public void forgetReplicasAndSentinels(String master) {
    sync().reset(master);
  }

  /**
   * {@code SENTINEL SET <master> <option> <args...>} (Lettuce's typed SET takes one value only).
   */
  public void set(String master, SentinelConf.Option option) {
    CommandArgs<String, String> args =
        new CommandArgs<>(StringCodec.UTF8).add("SET").add(master).add(option.name());
    option.args().forEach(args::add);
    sync().dispatch(CommandType.SENTINEL, new StatusOutput<>(StringCodec.UTF8), args);
  }

  @Override
  public synchronized void close() {
    disconnect();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    resources.shutdown(0, 1, TimeUnit.SECONDS);
  }
}
