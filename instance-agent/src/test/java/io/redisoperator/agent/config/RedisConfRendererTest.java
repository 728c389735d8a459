package io.redisoperator.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.InstanceSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisConfRendererTest {
  private static final InstanceSettings NONE = new InstanceSettings(Map.of(), null, null);

  private static ConfInputs inputs(
      String ip, Endpoint replicaOf, boolean writable, InstanceSettings settings) {
    return new ConfInputs(ip, 6379, Path.of("/data"), "pw", replicaOf, writable, settings);
  }

  private static List<String> lines(String conf) {
    return conf.lines().filter(l -> !l.startsWith("#")).toList();
  }

  @Test
  void rendersTheOperatorOwnedBasics() {
    List<String> conf = lines(RedisConfRenderer.render(inputs("10.1.2.3", null, true, NONE)));
    assertTrue(conf.contains("bind 10.1.2.3 127.0.0.1"));
    assertTrue(conf.contains("bind-source-addr 10.1.2.3"));
    assertTrue(conf.contains("replica-announce-ip 10.1.2.3"));
    assertTrue(conf.contains("port 6379"));
    assertTrue(conf.contains("dir \"/data\""));
    assertTrue(conf.contains("appendonly yes"));
    assertTrue(conf.contains("aof-use-rdb-preamble yes"));
    assertTrue(conf.contains("repl-diskless-sync-delay 0"));
    assertFalse(
        conf.stream().anyMatch(l -> l.startsWith("requirepass")), "users come from the ACL file");
    assertTrue(conf.contains("aclfile \"/data/users.acl\""));
    assertTrue(conf.contains("masteruser redis-operator-replication"));
    assertTrue(conf.contains("masterauth \"pw\""));
    assertTrue(conf.contains("min-replicas-to-write 0"));
    assertFalse(conf.stream().anyMatch(l -> l.startsWith("replicaof")));
  }

  @Test
  void readsBackWhetherAConfStartsWritable() {
    InstanceSettings durable = new InstanceSettings(Map.of(), 1, 5);
    assertEquals(
        Boolean.FALSE,
        RedisConfRenderer.writableIn(
            RedisConfRenderer.render(inputs("10.0.0.2", null, false, durable))));
    assertEquals(
        Boolean.TRUE,
        RedisConfRenderer.writableIn(
            RedisConfRenderer.render(inputs("10.0.0.2", null, true, durable))));
    assertEquals(
        null, RedisConfRenderer.writableIn("port 26379\nsentinel monitor m 10.0.0.1 6379 2\n"));
  }

  @Test
  void bindsOnlyThePodIpWhenItIsLoopback() {
    List<String> conf = lines(RedisConfRenderer.render(inputs("127.0.100.7", null, true, NONE)));
    assertTrue(conf.contains("bind 127.0.100.7"));
  }

  @Test
  void aReplicaFollowsItsPrimary() {
    String conf =
        RedisConfRenderer.render(inputs("10.0.0.2", new Endpoint("10.0.0.1", 6379), true, NONE));
    assertTrue(lines(conf).contains("replicaof 10.0.0.1 6379"));
  }

  @Test
  void aNonWritableInstanceRefusesWritesFromTheStart() {
    InstanceSettings durable = new InstanceSettings(Map.of(), 1, 5);
    assertTrue(
        lines(RedisConfRenderer.render(inputs("10.0.0.2", null, false, durable)))
            .contains("min-replicas-to-write " + RedisConfRenderer.FENCED_MIN_REPLICAS_TO_WRITE));
    List<String> writable =
        lines(RedisConfRenderer.render(inputs("10.0.0.2", null, true, durable)));
    assertTrue(writable.contains("min-replicas-to-write 1"));
    assertTrue(writable.contains("min-replicas-max-lag 5"));
  }

  @Test
  void quotesPasswordsSoTheyCannotEndTheLine() {
    String conf =
        RedisConfRenderer.render(
            new ConfInputs("10.0.0.2", 6379, Path.of("/data"), "a\"b\\c d", null, true, NONE));
    assertTrue(lines(conf).contains("masterauth \"a\\\"b\\\\c d\""), conf);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RedisConfRenderer.render(
                new ConfInputs(
                    "10.0.0.2",
                    6379,
                    Path.of("/data"),
                    "pw\nreplicaof 1.2.3.4 6379",
                    null,
                    true,
                    NONE)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RedisConfRenderer.render(
                new ConfInputs("10.0.0.2", 6379, Path.of("/data"), "", null, true, NONE)));
  }

  @Test
  void appendsUserDirectivesSorted() {
    InstanceSettings s =
        new InstanceSettings(
            Map.of("maxmemory", "1gb", "hz", "20", "save", "900 1 300 10"), null, null);
    String conf = RedisConfRenderer.render(inputs("10.0.0.2", null, true, s));
    int hz = conf.indexOf("\nhz 20\n");
    int maxmemory = conf.indexOf("\nmaxmemory 1gb\n");
    assertTrue(hz > 0 && maxmemory > hz, conf);
    assertTrue(conf.contains("\nsave 900 1 300 10\n"));
  }

  @Test
  void rejectsInjectionAndOwnedDirectives() {
    for (Map<String, String> bad :
        List.of(
            Map.of("maxmemory", "1mb\nrequirepass x"),
            Map.of("maxmemory", "1mb\rbind 0.0.0.0"),
            Map.of("replicaof", "10.0.0.9 6379"),
            Map.of("requirepass", "x"),
            Map.of("tls-port", "6380"),
            Map.of("Bind", "0.0.0.0"),
            Map.of("maxmemory-policy", "a\" \"b"),
            Map.of("include", "/etc/passwd"),
            Map.of("bad name", "1"))) {
      InstanceSettings s = new InstanceSettings(bad, null, null);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> RedisConfRenderer.render(inputs("10.0.0.2", null, true, s)));
      assertTrue(e.getMessage().startsWith("settings rejected"), e.getMessage());
      assertFalse(SettingsCheck.problems(s).isEmpty());
    }
  }

  @Test
  void rejectsOutOfRangeDurability() {
    assertEquals(1, SettingsCheck.problems(new InstanceSettings(Map.of(), -1, null)).size());
    assertEquals(1, SettingsCheck.problems(new InstanceSettings(Map.of(), 1, 0)).size());
    assertTrue(SettingsCheck.problems(new InstanceSettings(Map.of(), 2, 10)).isEmpty());
  }

  @Test
  void endpointsAreAddressesOnly() {
    assertThrows(IllegalArgumentException.class, () -> new Endpoint("1.2.3.4 6379\nx", 6379));
    assertThrows(IllegalArgumentException.class, () -> new Endpoint("", 6379));
    assertThrows(IllegalArgumentException.class, () -> new Endpoint("host", 0));
    assertEquals("redis-0.svc:6379", new Endpoint("redis-0.svc", 6379).toString());
  }

  @Test
  void readsBackWhomARenderedConfFollowed() {
    String conf =
        RedisConfRenderer.render(inputs("10.0.0.2", new Endpoint("10.0.0.1", 6379), true, NONE));
    assertEquals(
        java.util.Optional.of(new Endpoint("10.0.0.1", 6379)), RedisConfRenderer.replicaOfIn(conf));
    assertTrue(
        RedisConfRenderer.replicaOfIn(
                RedisConfRenderer.render(inputs("10.0.0.2", null, true, NONE)))
            .isEmpty());
  }

  @Test
  void tlsServesOnlyTlsOnTheUsualPortAndReplicatesOverIt() {
    InstanceSettings tls = new InstanceSettings(Map.of(), null, null, true);
    List<String> conf =
        lines(
            RedisConfRenderer.render(
                new ConfInputs(
                    "10.1.2.3",
                    6379,
                    Path.of("/data"),
                    "pw",
                    new Endpoint("10.1.2.4", 6379),
                    true,
                    tls,
                    Path.of("/etc/redis-operator/redis-tls"))));
    assertTrue(conf.contains("port 0"), conf.toString());
    assertTrue(conf.contains("tls-port 6379"));
    List<String> migrating =
        lines(
            RedisConfRenderer.render(
                new ConfInputs(
                    "10.1.2.3",
                    6379,
                    Path.of("/data"),
                    "pw",
                    null,
                    true,
                    new InstanceSettings(Map.of(), null, null, true, 6380),
                    Path.of("/etc/redis-operator/redis-tls"))));
    assertTrue(migrating.contains("port 6380"), "the migration mode's plaintext port");
    assertTrue(migrating.contains("tls-port 6379"));
    assertEquals(
        0,
        RedisConfRenderer.plaintextPort(new InstanceSettings(Map.of(), null, null, null, 6380)),
        "no plaintext port setting without TLS: the usual port is plaintext then");
    assertTrue(conf.contains("tls-cert-file \"/etc/redis-operator/redis-tls/tls.crt\""));
    assertTrue(conf.contains("tls-key-file \"/etc/redis-operator/redis-tls/tls.key\""));
    assertTrue(conf.contains("tls-ca-cert-file \"/etc/redis-operator/redis-tls/ca.crt\""));
    assertTrue(conf.contains("tls-replication yes"));
    assertTrue(conf.contains("replicaof 10.1.2.4 6379"));
    assertFalse(conf.contains("port 6379"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RedisConfRenderer.render(
                new ConfInputs("10.1.2.3", 6379, Path.of("/data"), "pw", null, true, tls)),
        "TLS without its files");
  }
}
