package io.redisoperator.agent.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The agent's only way to talk to its redis-server: Lettuce reactive commands, each bounded by a
 * short timeout, over one auto-reconnecting connection that authenticates with the password current
 * at (re)connect time.
 */
public final class RedisCommands implements AutoCloseable {
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final Duration timeout;
  private CompletableFuture<StatefulRedisConnection<String, String>> connection;

  public RedisCommands(String host, int port, Supplier<String> password, Duration timeout) {
    this(host, port, password, timeout, host, null);
  }

  /**
   * As {@link #RedisCommands(String, int, Supplier, Duration)}, over TLS when {@code tlsCa} is set.
   */
  public RedisCommands(
      String host, int port, Supplier<String> password, Duration timeout, Path tlsCa) {
    this(host, port, password, timeout, host, tlsCa);
  }

  /**
   * A connection to {@code host:port} that originates from {@code localAddress}: the pod's own IP,
   * so a peer Redis is reached the way replication reaches it (and cut off by the same rules).
   *
   * @param tlsCa null: plaintext; else TLS, the server's certificate checked against this CA file
   *     (read again at every connect, so a rotated CA applies from the next reconnect). The host
   *     name is not checked: the agent connects by IP, and Redis replication checks no name either.
   */
  public RedisCommands(
      String host,
      int port,
      Supplier<String> password,
      Duration timeout,
      String localAddress,
      Path tlsCa) {
    this(host, port, null, password, timeout, localAddress, tlsCa);
  }

  /**
   * As {@link #RedisCommands(String, int, Supplier, Duration, String, Path)}, authenticating as
   * {@code user} (null: the {@code default} user).
   */
  public RedisCommands(
      String host,
      int port,
      String user,
      Supplier<String> password,
      Duration timeout,
      String localAddress,
      Path tlsCa) {
    this.timeout = timeout;
    this.resources =
        ClientResources.builder()
            .ioThreadPoolSize(1)
            .computationThreadPoolSize(1)
            // Redis restarts in a fraction of a second; don't wait Lettuce's default 30 s ceiling
            // to notice.
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(50), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
            // Redis is local: connect from its own address, so this connection never crosses (or is
            // cut by) the
            // network rules that isolate the pod from its peers.
            .nettyCustomizer(
                new NettyCustomizer() {
                  @Override
                  public void afterBootstrapInitialized(Bootstrap bootstrap) {
                    bootstrap.localAddress(localAddress, 0);
                  }
                })
            .build();
    RedisCredentialsProvider credentials =
        RedisCredentialsProvider.from(() -> RedisCredentials.just(user, password.get()));
    RedisURI.Builder uriBuilder =
        RedisURI.builder()
            .withHost(host)
            .withPort(port)
            .withAuthentication(credentials)
            .withTimeout(timeout);
    if (tlsCa != null) {
      uriBuilder.withSsl(true).withVerifyPeer(SslVerifyMode.CA);
    }
    this.uri = uriBuilder.build();
    this.client = RedisClient.create(resources);
    ClientOptions.Builder options = ClientOptions.builder();
    if (tlsCa != null) {
      options.sslOptions(
          SslOptions.builder().jdkSslProvider().trustManager(tlsCa.toFile()).build());
    }
    client.setOptions(
        options
            .autoReconnect(true)
            // Fail at once while Redis is down rather than queue commands: every caller has a
            // deadline.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
            .build());
  }

  private synchronized CompletionStage<RedisReactiveCommands<String, String>> commands() {
    if (connection == null
        || connection.isCompletedExceptionally()
        || (connection.isDone() && !connection.join().isOpen())) {
      connection = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
    }
    return connection.thenApply(StatefulRedisConnection::reactive);
  }

  private <T> CompletionStage<T> run(
      java.util.function.Function<RedisReactiveCommands<String, String>, Mono<T>> op) {
    return commands()
        .thenCompose(c -> op.apply(c).timeout(timeout).toFuture())
        .toCompletableFuture()
        .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
  }

  public CompletionStage<RedisInfo> info() {
    return run(c -> c.info()).thenApply(InfoParser::parse);
  }

  /** One INFO section, e.g. {@code persistence}. */
  public CompletionStage<RedisInfo> info(String section) {
    return run(c -> c.info(section)).thenApply(InfoParser::parse);
  }

  /**
   * {@code BGSAVE SCHEDULE}: a fork-based RDB snapshot, started once a running AOF rewrite has
   * finished.
   */
  public CompletionStage<String> bgsaveScheduled() {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SCHEDULE");
    return run(
        c ->
            c.<String>dispatch(CommandType.BGSAVE, new StatusOutput<>(StringCodec.UTF8), args)
                .next());
  }

  public CompletionStage<RedisInfo> infoReplication() {
    return run(c -> c.info("replication")).thenApply(InfoParser::parse);
  }

  public CompletionStage<String> replicaOf(String host, int port) {
    return run(c -> c.replicaof(host, port));
  }

  public CompletionStage<String> replicaOfNoOne() {
    return run(RedisReactiveCommands::replicaofNoOne);
  }

  public CompletionStage<String> configSet(String name, String value) {
    return run(c -> c.configSet(name, value));
  }

  public CompletionStage<String> configSet(Map<String, String> values) {
    return run(c -> c.configSet(values));
  }

  public CompletionStage<String> ping() {
    return run(RedisReactiveCommands::ping);
  }

  /**
   * {@code FAILOVER TO host port FORCE TIMEOUT 1}: hand over at Redis' next check without waiting
   * for the target's REPLCONF ACK (sent once a second). Only safe once the caller has seen the
   * target hold this primary's offset while writes are paused.
   */
  public CompletionStage<String> failoverToCaughtUpTarget(String host, int port) {
    CommandArgs<String, String> args =
        new CommandArgs<>(StringCodec.UTF8)
            .add("TO")
            .add(host)
            .add(port)
            .add("FORCE")
            .add("TIMEOUT")
            .add(1);
    return run(
        c -> c.<String>dispatch(FAILOVER, new StatusOutput<>(StringCodec.UTF8), args).next());
  }

  /**
   * {@code CLIENT PAUSE ms WRITE}: write commands wait (reads go on); expires by itself after
   * {@code millis}.
   */
  public CompletionStage<String> pauseWrites(long millis) {
    CommandArgs<String, String> args =
        new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(millis).add("WRITE");
    return run(
        c ->
            c.<String>dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), args)
                .next());
  }

  /**
   * {@code PUBLISH channel ""} then {@code WAIT 1 waitMillis}: the publish moves the replication
   * offset, so the WAIT makes Redis ask its replicas for an ACK at once (REPLCONF GETACK) instead
   * of waiting for their once-a-second ACK. Answers how many replicas acknowledged within {@code
   * waitMillis}.
   */
  public CompletionStage<Long> replicasAcknowledging(String channel, long waitMillis) {
    return run(c -> c.publish(channel, "").then(c.waitForReplication(1, waitMillis)));
  }

  /** {@code CLIENT UNPAUSE}. */
  public CompletionStage<String> unpause() {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("UNPAUSE");
    return run(
        c ->
            c.<String>dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), args)
                .next());
  }

  /** One configuration value ({@code CONFIG GET name}), null when Redis does not know it. */
  public CompletionStage<String> configGet(String name) {
    return run(c -> c.configGet(name)).thenApply(values -> values.get(name));
  }

  /** {@code ACL USERS}. */
  public CompletionStage<java.util.List<String>> aclUsers() {
    return run(c -> c.aclUsers().collectList());
  }

  /**
   * {@code ACL SETUSER name rule...}: all or nothing, Redis refuses the whole command on a bad
   * rule.
   */
  public CompletionStage<String> aclSetUser(String name, java.util.List<String> rules) {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(name);
    rules.forEach(args::add);
    return run(
        c ->
            c.<String>dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args).next());
  }

  /** {@code ACL DELUSER name...}: the number deleted. */
  public CompletionStage<Long> aclDelUser(java.util.List<String> names) {
    return run(c -> c.aclDeluser(names.toArray(String[]::new)));
  }

  /** {@code FAILOVER ABORT}: resumes writes if a failover is still waiting. */
  public CompletionStage<String> failoverAbort() {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("ABORT");
    return run(
        c -> c.<String>dispatch(FAILOVER, new StatusOutput<>(StringCodec.UTF8), args).next());
  }

  private static final ProtocolKeyword FAILOVER =
      new ProtocolKeyword() {
        private final byte[] bytes = "FAILOVER".getBytes(StandardCharsets.US_ASCII);

        @Override
        public byte[] getBytes() {
          return bytes;
        }

        @Override
        public String toString() {
          return "FAILOVER";
        }
      };

  @Override
  public synchronized void close() {
    if (connection != null && connection.isDone() && !connection.isCompletedExceptionally()) {
      connection.join().close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    resources.shutdown(0, 1, TimeUnit.SECONDS);
  }
}
