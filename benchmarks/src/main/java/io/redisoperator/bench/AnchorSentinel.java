package io.redisoperator.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.redisoperator.sandbox.network.AddressPool;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.process.Signal;
import io.redisoperator.sandbox.state.Reaper;
import io.redisoperator.sandbox.state.StateDir;
import io.redisoperator.sandbox.state.Watchdog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The anchor: plain Redis Sentinel, no operator. Three redis-servers (one primary, two replicas)
 * and three redis-sentinels (quorum 2, the given {@code down-after-milliseconds}, failover-timeout
 * 10 s) on loopback addresses of their own, each process with {@code bind-source-addr} so every
 * peer sees its real address. The processes run in process groups recorded in a sandbox state
 * directory of their own (its watchdog and the next run's reaper remove them if this JVM dies); the
 * password lives only in the 0600 conf files.
 */
final class AnchorSentinel implements AutoCloseable {
  static final String MASTER = "anchor";
  private static final int REDIS_PORT = 6379;
  private static final int SENTINEL_PORT = 26379;
  private static final int QUORUM = 2;
  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Loopback range of the anchor, apart from the benchmark sandbox's pods (127.0.60-67) and
   * Services (127.0.68-69).
   */
  private static final String FIRST_ADDRESS = "127.0.70.1";

  private static final String LAST_ADDRESS = "127.0.71.254";

  private final StateDir state;
  private final Watchdog watchdog;
  private final AddressPool addresses;
  private final String password = UUID.randomUUID().toString();
  private final int downAfterMillis;
  private final List<String> serverIps = new ArrayList<>();
  private final List<String> sentinelIps = new ArrayList<>();
  private final Map<String, ProcessGroup> servers = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<ProcessGroup> sentinels = new ArrayList<>();
  private final RedisClient admin = RedisClient.create();

  private AnchorSentinel(Path stateRoot, int downAfterMillis) {
    Reaper.reapStale(stateRoot);
    this.state = StateDir.create(stateRoot);
    this.watchdog = Watchdog.start(state);
    this.addresses = new AddressPool(state, FIRST_ADDRESS, LAST_ADDRESS);
    this.downAfterMillis = downAfterMillis;
  }

  /**
   * Starts the six processes and waits until the sentinels agree on the primary and know each
   * other.
   */
  static AnchorSentinel start(Path stateRoot, int downAfterMillis, Duration timeout) {
    AnchorSentinel anchor = new AnchorSentinel(stateRoot, downAfterMillis);
    try {
      for (int i = 0; i < 3; i++) {
        anchor.serverIps.add(anchor.addresses.allocate());
        anchor.sentinelIps.add(anchor.addresses.allocate());
      }
      for (String ip : anchor.serverIps) {
        anchor.startServer(ip, ip.equals(anchor.serverIps.get(0)) ? null : anchor.serverIps.get(0));
      }
      for (String ip : anchor.sentinelIps) {
        anchor.startSentinel(ip, anchor.serverIps.get(0));
      }
      Polling.await(
          anchor::agreed, timeout, "the anchor's sentinels to agree and see two replicas");
      return anchor;
    } catch (RuntimeException e) {
      anchor.close();
      throw e;
    }
  }

  String password() {
    return password;
  }

  List<InetSocketAddress> sentinelAddresses() {
    return sentinelIps.stream().map(ip -> new InetSocketAddress(ip, SENTINEL_PORT)).toList();
  }

  /** The address every answering sentinel names, when they all name the same one. */
  Optional<String> agreedPrimary() {
    String agreed = null;
    for (String ip : sentinelIps) {
      Optional<String> named = masterAddress(ip);
      if (named.isEmpty() || (agreed != null && !agreed.equals(named.get()))) {
        return Optional.empty();
      }
      agreed = named.get();
    }
    return Optional.ofNullable(agreed);
  }

  /** SIGKILLs the redis-server at {@code ip}. */
  void killServer(String ip) {
    ProcessGroup group = servers.remove(ip);
    if (group != null) {
      group.signalGroup(Signal.KILL);
      group.awaitExit(Duration.ofSeconds(5));
      state.forgetGroup(group.pgid());
    }
  }

  /**
   * Starts the killed redis-server again, as a supervisor would, as a replica of the current
   * primary (a primary that came back as primary would be turned into one by Sentinel anyway, after
   * a while).
   */
  void restartServer(String ip, String primaryIp) {
    startServer(ip, primaryIp);
  }

  /** Every server runs, the sentinels agree, the primary reports two linked replicas. */
  boolean agreed() {
    Optional<String> primary = agreedPrimary();
    if (primary.isEmpty() || servers.size() != serverIps.size()) {
      return false;
    }
    try (StatefulRedisConnection<String, String> c = connect(primary.get())) {
      String info = c.sync().info("replication");
      return RedisLinks.field(info, "role").orElse("").equals("master")
          && RedisLinks.field(info, "connected_slaves").orElse("0").equals("2")
          && !info.contains("state=wait_bgsave");
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Optional<String> masterAddress(String sentinelIp) {
    RedisURI uri =
        RedisURI.builder()
            .withHost(sentinelIp)
            .withPort(SENTINEL_PORT)
            .withTimeout(Duration.ofMillis(500))
            .build();
    try (StatefulRedisSentinelConnection<String, String> c =
        admin.connectSentinel(StringCodec.UTF8, uri)) {
      SocketAddress address = c.sync().getMasterAddrByName(MASTER);
      return address instanceof InetSocketAddress inet
          ? Optional.of(inet.getHostString())
          : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private StatefulRedisConnection<String, String> connect(String ip) {
    return admin.connect(
        RedisURI.builder()
            .withHost(ip)
            .withPort(REDIS_PORT)
            .withAuthentication("default", password.toCharArray())
            .withTimeout(Duration.ofMillis(500))
            .build());
  }

  private void startServer(String ip, String primaryIp) {
    Path dir = processDir("redis-" + ip);
    List<String> conf =
        new ArrayList<>(
            List.of(
                "bind " + ip,
                "port " + REDIS_PORT,
                "bind-source-addr " + ip,
                "protected-mode no",
                "daemonize no",
                "dir " + dir,
                "save \"\"",
                "appendonly no",
                "repl-diskless-sync yes",
                "repl-diskless-sync-delay 0",
                "requirepass \"" + password + "\"",
                "masterauth \"" + password + "\""));
    if (primaryIp != null) {
      conf.add("replicaof " + primaryIp + " " + REDIS_PORT);
    }
    servers.put(ip, launch("redis-server", dir, conf));
  }

  private void startSentinel(String ip, String primaryIp) {
    Path dir = processDir("sentinel-" + ip);
    List<String> conf =
        List.of(
            "bind " + ip,
            "port " + SENTINEL_PORT,
            "bind-source-addr " + ip,
            "protected-mode no",
            "daemonize no",
            "dir " + dir,
            "sentinel announce-ip " + ip,
            "sentinel monitor " + MASTER + " " + primaryIp + " " + REDIS_PORT + " " + QUORUM,
            "sentinel down-after-milliseconds " + MASTER + " " + downAfterMillis,
            "sentinel failover-timeout " + MASTER + " " + FAILOVER_TIMEOUT.toMillis(),
            "sentinel parallel-syncs " + MASTER + " 1",
            "sentinel auth-pass " + MASTER + " \"" + password + "\"");
    sentinels.add(launch("redis-sentinel", dir, conf));
  }

  private Path processDir(String name) {
    try {
      Path dir = state.podsDir().resolve(name);
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ProcessGroup launch(String binary, Path dir, List<String> conf) {
    try {
      Path file = dir.resolve(binary + ".conf");
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, String.join("\n", conf) + "\n");
      ProcessGroup group =
          ProcessGroup.start(
              List.of(binary, file.toString()),
              Map.of(
                  "PATH",
                  System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                  StateDir.ENV_INSTANCE,
                  state.dir().toString()),
              dir,
              dir.resolve(binary + ".log"));
      state.recordGroup(group.pgid());
      return group;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    admin.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    Reaper.reap(state);
    watchdog.close();
  }
}
