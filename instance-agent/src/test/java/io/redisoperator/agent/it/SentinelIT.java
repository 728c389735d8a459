package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import io.redisoperator.agent.AgentSettings;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.agent.sentinel.SentinelAgent;
import io.redisoperator.agent.sentinel.SentinelConf;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.naming.ResourceNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three real redis-sentinels run by the sentinel agent, two real data agents with redis-server, the
 * fabric8 CRUD mock as API server (127.0.13.x). Sentinel follows status.currentPrimary and never
 * acts on its own.
 */
class SentinelIT {
  private static final String SENTINEL_ADMIN_PASSWORD = "sentinel-admin-pw";

  /**
   * Far longer than any wait below: following the record must come from the watch, not from the
   * periodic pass.
   */
  private static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(60);

  private static final String[] DATA_IPS = {"127.0.13.1", "127.0.13.2"};
  private static final String[] SENTINEL_IPS = {"127.0.13.11", "127.0.13.12", "127.0.13.13"};

  @RegisterExtension final AgentHarness h = new AgentHarness();
  private final List<SentinelNode> sentinels = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void tearDown() throws Exception {
    for (SentinelNode s : sentinels) {
      s.close();
    }
  }

  @Test
  void followsTheRecordedPrimaryAppliesRotationAndNeverFailsOverOnItsOwn() throws Exception {
    h.pod(ResourceNames.podName(AgentHarness.CLUSTER, 0), DATA_IPS[0]);
    h.pod(ResourceNames.podName(AgentHarness.CLUSTER, 1), DATA_IPS[1]);
    h.clusterStatus(ResourceNames.podName(AgentHarness.CLUSTER, 0), List.of());
    AgentHarness.Node a = h.node(0, DATA_IPS[0]).start();
    AgentHarness.Node b = h.node(1, DATA_IPS[1]).start();
    a.awaitUp();
    b.awaitUp();
    AgentHarness.await(
        "rc-1 replicates rc-0",
        Duration.ofSeconds(15),
        () -> Boolean.TRUE.equals(b.status().masterLinkUp()));

    for (int i = 0; i < SENTINEL_IPS.length; i++) {
      sentinels.add(new SentinelNode(i, SENTINEL_IPS[i]).start());
    }
    for (SentinelNode s : sentinels) {
      AgentHarness.await(
          s.podName + " monitors rc-0",
          Duration.ofSeconds(20),
          () -> s.masterAddress().equals(DATA_IPS[0] + ":6379"));
      // Its first pass may run while redis-sentinel is still starting and be retried; not a latency
      // check.
      AgentHarness.await(
          s.podName + " ready", Duration.ofSeconds(20), () -> s.get(AgentApi.PATH_READYZ) == 200);
      assertEquals(200, s.get(AgentApi.PATH_HEALTHZ));
      // Sentinel authenticated to the primary with the projected password: it learned the replica
      // from INFO.
      AgentHarness.await(
          s.podName + " sees the replica",
          Duration.ofSeconds(20),
          () ->
              s.sentinel().replicas(AgentHarness.CLUSTER).stream()
                  .anyMatch(r -> DATA_IPS[1].equals(r.get("ip"))));
      Path conf = s.confFile();
      assertEquals(
          "rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(conf.getParent())));
      assertTrue(
          Files.readString(conf).contains("down-after-milliseconds rc 2147483647"),
          "Sentinel kept the safety options");
    }
    AgentHarness.await(
        "sentinels know each other",
        Duration.ofSeconds(20),
        () ->
            sentinels.stream()
                .allMatch(
                    s ->
                        String.valueOf(SENTINEL_IPS.length - 1)
                            .equals(
                                s.sentinel()
                                    .master(AgentHarness.CLUSTER)
                                    .get("num-other-sentinels"))));

    // The operator promotes rc-1 and records it; the sentinels follow the record.
    b.promote();
    a.replicateFrom(b);
    long recordedAt = System.nanoTime();
    h.clusterStatus(ResourceNames.podName(AgentHarness.CLUSTER, 1), List.of());
    for (SentinelNode s : sentinels) {
      AgentHarness.await(
          s.podName + " follows rc-1",
          Duration.ofSeconds(5),
          () -> s.masterAddress().equals(DATA_IPS[1] + ":6379"));
    }
    long repointMillis = (System.nanoTime() - recordedAt) / 1_000_000;
    System.out.println(
        "sentinel: repoint_all_ms="
            + repointMillis
            + " sentinels="
            + SENTINEL_IPS.length
            + " follow_interval_ms="
            + FOLLOW_INTERVAL.toMillis());
    for (SentinelNode s : sentinels) {
      // MONITOR makes the new address visible before the SETs that follow it land: wait for them,
      // briefly.
      AgentHarness.await(
          s.podName + " safety options re-applied after the re-point",
          Duration.ofSeconds(5),
          () -> {
            Map<String, String> master = s.sentinel().master(AgentHarness.CLUSTER);
            return "2147483647".equals(master.get("down-after-milliseconds"))
                && "2147483647".equals(master.get("failover-timeout"));
          });
      AgentHarness.await(
          s.podName + " ready again",
          Duration.ofSeconds(5),
          () -> s.get(AgentApi.PATH_READYZ) == 200);
      AgentHarness.await(
          s.podName + " sees rc-0 as replica",
          Duration.ofSeconds(20),
          () ->
              s.sentinel().replicas(AgentHarness.CLUSTER).stream()
                  .anyMatch(r -> DATA_IPS[0].equals(r.get("ip"))));
    }

    // Anyone may discover the primary; nobody but the sentinel agents (the admin user) may
    // reconfigure a Sentinel.
    SentinelNode anonymous = sentinels.get(1);
    assertEquals(DATA_IPS[1] + ":6379", anonymous.masterAddress());
    for (java.util.function.Supplier<Object> change :
        List.<java.util.function.Supplier<Object>>of(
            () -> anonymous.sentinel().set(AgentHarness.CLUSTER, "down-after-milliseconds", "1000"),
            () -> anonymous.sentinel().failover(AgentHarness.CLUSTER),
            () -> anonymous.sentinel().remove(AgentHarness.CLUSTER))) {
      RedisCommandExecutionException refused =
          assertThrows(RedisCommandExecutionException.class, change::get);
      assertTrue(String.valueOf(refused.getMessage()).startsWith("NOPERM"), refused.getMessage());
    }
    assertTrue(
        Files.readString(anonymous.confFile()).contains("down-after-milliseconds rc 2147483647"));

    // Even a forced SENTINEL FAILOVER cannot touch an instance: the SLAVEOF it sends is renamed to
    // a missing command.
    SentinelNode forcing = sentinels.get(0);
    String forced = forceFailover(forcing);
    System.out.println("sentinel: forced_failover_reply=" + forced);
    AgentHarness.holds(
        "rc-1 stays the primary: Sentinel could not promote rc-0",
        Duration.ofSeconds(3),
        () ->
            b.status().role() == InstanceRole.PRIMARY && a.status().role() == InstanceRole.REPLICA);
    assertEquals(DATA_IPS[1], a.status().masterHost());
    assertEquals(DATA_IPS[1] + ":6379", forcing.masterAddress());
    forcing.admin().reset(AgentHarness.CLUSTER); // ends the stuck failover attempt
    AgentHarness.await(
        "forcing sentinel back to normal",
        Duration.ofSeconds(10),
        () -> !forcing.sentinel().master(AgentHarness.CLUSTER).get("flags").contains("failover"));

    // Rotation of the Sentinel user's password reaches Sentinel live: after the primary drops every
    // connection,
    // Sentinel's new one must authenticate as that user with the rotated password for its pings to
    // be answered.
    String rotated = "rotated pass \"2\"";
    List<io.redisoperator.protocol.acl.AclUser> users = new java.util.ArrayList<>();
    for (io.redisoperator.protocol.acl.AclUser u :
        AgentHarness.aclUsers(2, List.of("~*", "&*", "+@all"), AgentHarness.PASSWORD).users()) {
      users.add(
          u.name().equals(io.redisoperator.protocol.acl.OperatorUsers.SENTINEL)
              ? new io.redisoperator.protocol.acl.AclUser(
                  u.name(),
                  u.rules(),
                  List.of(io.redisoperator.protocol.acl.PasswordHash.of(rotated)))
              : u);
    }
    a.projectAcl(new io.redisoperator.protocol.acl.AclUsers(2, users));
    b.projectAcl(new io.redisoperator.protocol.acl.AclUsers(2, users));
    for (SentinelNode s : sentinels) {
      s.projectPassword(rotated);
    }
    try (RedisConnection rb = b.redis(AgentHarness.PASSWORD);
        RedisConnection asSentinel =
            new RedisConnection(
                b.ip, io.redisoperator.protocol.acl.OperatorUsers.SENTINEL, rotated, null)) {
      AgentHarness.await(
          "rc-1 has the rotated Sentinel password", Duration.ofSeconds(10), asSentinel::ping);
      for (SentinelNode s : sentinels) {
        AgentHarness.await(
            s.podName + " auth-pass updated",
            Duration.ofSeconds(10),
            () -> s.metric("redis_operator_sentinel_auth_updates_total") >= 1);
      }
      rb.sync().clientKill(io.lettuce.core.KillArgs.Builder.typeNormal());
      rb.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
      // Past the 2 s any ping from before the kill could account for: the pings go on succeeding.
      AgentHarness.holds(
          "every sentinel pings rc-1 successfully with the rotated password",
          Duration.ofSeconds(3),
          () ->
              sentinels.stream()
                  .allMatch(
                      s ->
                          Long.parseLong(
                                  s.sentinel()
                                      .master(AgentHarness.CLUSTER)
                                      .get("last-ok-ping-reply"))
                              < 2000));
    }

    // A sentinel gone for good (its address is no pod's and its link is down) is forgotten by the
    // others: one reset
    // each, after which they still know each other. Any watch event starts a pass (the periodic one
    // is 60 s here).
    SentinelNode gone = sentinels.remove(sentinels.size() - 1);
    gone.close();
    for (SentinelNode s : sentinels) {
      AgentHarness.await(
          s.podName + " forgets " + gone.podName,
          Duration.ofSeconds(30),
          () -> {
            touchPrimaryPod();
            return s.metric("redis_operator_sentinel_stale_resets_total") >= 1
                && sentinelsKnown(s).equals(otherIps(s));
          });
      assertEquals(
          1.0, s.metric("redis_operator_sentinel_stale_resets_total"), s.podName + " reset once");
    }

    // The primary dies. Sentinel reports the operator's choice and never promotes the replica by
    // itself.
    b.stop();
    long killedAt = System.nanoTime();
    AgentHarness.holds(
        "every sentinel still reports the recorded primary and starts no failover",
        Duration.ofSeconds(12),
        Duration.ofMillis(500),
        () ->
            sentinels.stream()
                .allMatch(
                    s -> {
                      String flags = s.sentinel().master(AgentHarness.CLUSTER).get("flags");
                      return (DATA_IPS[1] + ":6379").equals(s.masterAddress())
                          && !flags.contains("o_down")
                          && !flags.contains("failover");
                    }));
    try (RedisConnection ra = a.redis(AgentHarness.PASSWORD)) {
      RedisInfo info = ra.info("replication");
      assertEquals(InstanceRole.REPLICA, info.role(), "Sentinel must not promote rc-0");
      assertEquals(DATA_IPS[1], info.get("master_host"));
    }
    System.out.println(
        "sentinel: primary_dead_s="
            + (System.nanoTime() - killedAt) / 1_000_000_000
            + " failovers_by_sentinel=0");
  }

  /** A change of a data pod the sentinel agents watch: it starts a follow pass. */
  private void touchPrimaryPod() {
    h.kube()
        .pods()
        .inNamespace(AgentHarness.NAMESPACE)
        .withName(ResourceNames.podName(AgentHarness.CLUSTER, 1))
        .edit(
            p -> {
              p.getMetadata().getAnnotations().put("touched", Long.toString(System.nanoTime()));
              return p;
            });
  }

  /** The sentinels {@code s} knows, by IP ({@code SENTINEL SENTINELS}). */
  private static java.util.Set<String> sentinelsKnown(SentinelNode s) {
    List<Map<String, String>> entries =
        s.sentinel()
            .dispatch(
                io.lettuce.core.protocol.CommandType.SENTINEL,
                new io.lettuce.core.output.ListOfMapsOutput<>(
                    io.lettuce.core.codec.StringCodec.UTF8),
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                    .add("SENTINELS")
                    .add(AgentHarness.CLUSTER));
    return entries.stream().map(e -> e.get("ip")).collect(java.util.stream.Collectors.toSet());
  }

  /** The IPs of the running sentinels other than {@code s}. */
  private java.util.Set<String> otherIps(SentinelNode s) {
    return sentinels.stream()
        .filter(o -> o != s)
        .map(o -> o.ip)
        .collect(java.util.stream.Collectors.toSet());
  }

  /** One sentinel pod: its directories, its agent, and a Sentinel client. */
  private final class SentinelNode implements AutoCloseable {
    final String podName;
    final String ip;
    final Path base;
    final Path dataDir;
    final Path authDir;
    final Path adminDir;
    SentinelAgent agent;
    private RedisClient client;
    private StatefulRedisSentinelConnection<String, String> connection;
    private RedisClient adminClient;
    private StatefulRedisSentinelConnection<String, String> adminConnection;
    private int generation;

    SentinelNode(int n, String ip) throws IOException {
      this.podName = ResourceNames.sentinelPodName(AgentHarness.CLUSTER, n);
      this.ip = ip;
      this.base = Files.createTempDirectory("sentinel-it-" + podName);
      this.dataDir = Files.createDirectories(base.resolve("data"));
      this.authDir = Files.createDirectories(base.resolve("auth"));
      this.adminDir = Files.createDirectories(base.resolve("sentinel-auth"));
      Files.writeString(
          adminDir.resolve(InstanceLayout.SECRET_KEY_PASSWORD), SENTINEL_ADMIN_PASSWORD);
      projectPassword(AgentHarness.SENTINEL_PASSWORD);
    }

    void projectPassword(String value) throws IOException {
      Path dir = Files.createDirectories(authDir.resolve("..gen_" + (++generation)));
      Files.writeString(dir.resolve(InstanceLayout.SECRET_KEY_PASSWORD), value);
      Path tmp = authDir.resolve("..data_tmp");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, dir.getFileName());
      Files.move(
          tmp,
          authDir.resolve("..data"),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Path key = authDir.resolve(InstanceLayout.SECRET_KEY_PASSWORD);
      if (!Files.isSymbolicLink(key)) {
        Files.createSymbolicLink(
            key, Path.of("..data").resolve(InstanceLayout.SECRET_KEY_PASSWORD));
      }
    }

    SentinelNode start() throws IOException {
      AgentSettings s =
          h.settingsFor(podName, ip, AgentHarness.PodDirs.insideData(dataDir, authDir));
      agent =
          SentinelAgent.start(
              s,
              new SentinelAgent.Options(
                  "redis-sentinel", AgentApi.SENTINEL_PORT, FOLLOW_INTERVAL, adminDir));
      return this;
    }

    Path confFile() {
      return dataDir.resolve("sentinel").resolve("sentinel.conf");
    }

    synchronized RedisSentinelCommands<String, String> sentinel() {
      if (client == null) {
        client =
            RedisClient.create(
                RedisURI.builder()
                    .withHost(ip)
                    .withPort(AgentApi.SENTINEL_PORT)
                    .withTimeout(Duration.ofSeconds(2))
                    .build());
      }
      if (connection == null || !connection.isOpen()) {
        connection = client.connectSentinel();
      }
      return connection.sync();
    }

    /** Sentinel as its admin user (what only the sentinel pods' agents can be). */
    synchronized RedisSentinelCommands<String, String> admin() {
      if (adminClient == null) {
        adminClient =
            RedisClient.create(
                RedisURI.builder()
                    .withHost(ip)
                    .withPort(AgentApi.SENTINEL_PORT)
                    .withTimeout(Duration.ofSeconds(2))
                    .withAuthentication(
                        SentinelConf.ADMIN_USER, SENTINEL_ADMIN_PASSWORD.toCharArray())
                    .build());
      }
      if (adminConnection == null || !adminConnection.isOpen()) {
        adminConnection = adminClient.connectSentinel();
      }
      return adminConnection.sync();
    }

    /** What a Sentinel-aware client asks: SENTINEL get-master-addr-by-name. */
    String masterAddress() {
      SocketAddress address = sentinel().getMasterAddrByName(AgentHarness.CLUSTER);
      InetSocketAddress inet = (InetSocketAddress) address;
      return inet == null ? "none" : inet.getHostString() + ":" + inet.getPort();
    }

    int get(String path) {
      try {
        return http.send(
                HttpRequest.newBuilder(
                        URI.create("http://" + ip + ":" + AgentApi.PROBE_PORT + path))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode();
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    double metric(String name) {
      try {
        String body =
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://" + ip + ":" + AgentApi.PROBE_PORT + AgentApi.PATH_METRICS))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        return body.lines()
            .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .findFirst()
            .orElse(Double.NaN);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      if (connection != null) {
        connection.close();
      }
      if (client != null) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      }
      if (agent != null) {
        agent.close();
      }
      try (var files = Files.walk(base)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: a temp directory
      }
    }
  }

  /**
   * SENTINEL FAILOVER answers NOGOODSLAVE until the sentinel has fresh INFO from the replica (after
   * a re-point that can take a few of its 1 s INFO periods): retry until it accepts the request.
   */
  /** SENTINEL FAILOVER, asked again while Sentinel has no replica it considers good yet. */
  private static String forceFailover(SentinelNode forcing) {
    java.util.concurrent.atomic.AtomicReference<String> reply =
        new java.util.concurrent.atomic.AtomicReference<>();
    org.awaitility.Awaitility.await("SENTINEL FAILOVER accepted")
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(
            e ->
                e instanceof RedisCommandExecutionException
                    && String.valueOf(e.getMessage()).startsWith("NOGOODSLAVE"))
        .until(
            () -> {
              reply.set(forcing.admin().failover(AgentHarness.CLUSTER));
              return true;
            });
    return reply.get();
  }
}
