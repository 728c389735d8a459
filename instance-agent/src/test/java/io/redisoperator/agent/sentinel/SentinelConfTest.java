package io.redisoperator.agent.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.config.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentinelConfTest {
  private static SentinelConf.Inputs inputs(String podIp, String password) {
    return new SentinelConf.Inputs(
        SentinelConf.bindAddresses(podIp),
        podIp,
        26379,
        "/data/sentinel",
        "orders",
        new Endpoint("10.0.0.7", 6379),
        password,
        "admin-pw");
  }

  private static List<String> lines(String conf) {
    return conf.lines().filter(l -> !l.startsWith("#")).toList();
  }

  @Test
  void withTlsSentinelServesTlsOnlyAndSpeaksTlsToTheInstances() {
    SentinelConf.Inputs plain = inputs("10.1.2.3", "pw");
    List<String> conf =
        lines(
            SentinelConf.render(
                new SentinelConf.Inputs(
                    plain.bindAddresses(),
                    plain.podIp(),
                    plain.port(),
                    plain.dir(),
                    plain.masterName(),
                    plain.primary(),
                    plain.password(),
                    plain.adminPassword(),
                    java.nio.file.Path.of("/etc/redis-operator/redis-tls"))));
    assertTrue(conf.contains("port 0"), conf.toString());
    assertTrue(conf.contains("tls-port 26379"));
    assertTrue(conf.contains("tls-replication yes"));
    assertTrue(conf.contains("tls-auth-clients no"));
    assertTrue(conf.contains("tls-cert-file \"/etc/redis-operator/redis-tls/tls.crt\""));
    assertTrue(conf.contains("tls-ca-cert-file \"/etc/redis-operator/redis-tls/ca.crt\""));
    assertTrue(conf.contains("sentinel announce-port 26379"));
    assertFalse(conf.contains("port 26379"));
  }

  @Test
  void monitorsTheRecordedPrimaryWithQuorumTwoOnTheSentinelPort() {
    List<String> conf = lines(SentinelConf.render(inputs("10.1.2.3", "pw")));
    assertTrue(conf.contains("port 26379"));
    assertTrue(conf.contains("sentinel monitor orders 10.0.0.7 6379 2"));
    assertTrue(conf.contains("sentinel auth-pass orders pw"));
    assertTrue(conf.contains("sentinel resolve-hostnames no"));
    assertTrue(conf.contains("sentinel announce-ip 10.1.2.3"));
    assertTrue(conf.contains("bind-source-addr 10.1.2.3"));
    assertTrue(conf.contains("dir \"/data/sentinel\""));
  }

  @Test
  void onlyTheAdminUserMayChangeAnythingAndItsPasswordIsStoredHashed() {
    List<String> conf = lines(SentinelConf.render(inputs("10.1.2.3", "pw")));
    String defaultUser =
        conf.stream().filter(l -> l.startsWith("user default ")).findFirst().orElseThrow();
    assertTrue(
        defaultUser.contains("-@all") && defaultUser.contains("+sentinel|get-master-addr-by-name"),
        defaultUser);
    assertFalse(
        defaultUser.contains("+sentinel ")
            || defaultUser.contains("+sentinel|set")
            || defaultUser.contains("+@all"));
    assertTrue(
        conf.contains("user operator on #" + SentinelConf.sha256("admin-pw") + " ~* &* +@all"));
    assertTrue(
        conf.contains("sentinel sentinel-user operator"),
        "the sentinels reach one another as the admin");
    assertTrue(conf.stream().noneMatch(l -> l.startsWith("user ") && l.contains("admin-pw")));
  }

  @Test
  void bindsThePodIpAndLoopbackInARealPodButOnlyALoopbackPodIp() {
    assertTrue(
        lines(SentinelConf.render(inputs("10.1.2.3", "pw"))).contains("bind 10.1.2.3 127.0.0.1"));
    assertTrue(
        lines(SentinelConf.render(inputs("127.0.100.9", "pw"))).contains("bind 127.0.100.9"));
  }

  @Test
  void monitorComesBeforeEveryPerMasterOption() {
    List<String> conf = lines(SentinelConf.render(inputs("10.1.2.3", "pw")));
    int monitor = conf.indexOf("sentinel monitor orders 10.0.0.7 6379 2");
    for (int i = 0; i < conf.size(); i++) {
      if (conf.get(i)
          .matches(
              "sentinel (auth-pass|down-after-milliseconds|failover-timeout|rename-command) .*")) {
        assertTrue(i > monitor, conf.get(i) + " must follow the monitor line");
      }
    }
  }

  @Test
  void sentinelCanNeverFailOverOrReconfigureAnInstance() {
    List<String> conf = lines(SentinelConf.render(inputs("10.1.2.3", "pw")));
    assertTrue(conf.contains("sentinel down-after-milliseconds orders 2147483647"));
    assertTrue(conf.contains("sentinel failover-timeout orders 2147483647"));
    assertTrue(
        conf.contains("sentinel rename-command orders SLAVEOF " + SentinelConf.DISABLED_COMMAND));
    assertTrue(
        conf.contains("sentinel rename-command orders REPLICAOF " + SentinelConf.DISABLED_COMMAND));
  }

  @Test
  void theSameOptionsAreReappliedAfterARepointWithRawValues() {
    List<SentinelConf.Option> options = SentinelConf.masterOptions("p\"w");
    assertEquals(
        new SentinelConf.Option("auth-user", List.of("redis-operator-sentinel")),
        options.get(0),
        "Sentinel authenticates as its own user, which cannot reconfigure the data pods");
    assertEquals(new SentinelConf.Option("auth-pass", List.of("p\"w")), options.get(1));
    assertEquals(SentinelConf.safetyOptions(), options.subList(2, options.size()));
    assertFalse(
        options.get(1).toString().contains("p\"w"), "the password never reaches a log line");
  }

  @Test
  void quotesThePasswordSoNothingCanBeInjected() {
    String conf = SentinelConf.render(inputs("10.1.2.3", "a\"b\\c d"));
    assertTrue(conf.contains("sentinel auth-pass orders \"a\\\"b\\\\c d\""));
    assertTrue(conf.contains("sentinel auth-user orders redis-operator-sentinel"));
    assertThrows(
        IllegalArgumentException.class,
        () -> inputs("10.1.2.3", "pw\nsentinel monitor x 1.2.3.4 6379 1"));
  }

  @Test
  void noPasswordMeansNoAuthPass() {
    assertFalse(SentinelConf.render(inputs("10.1.2.3", null)).contains("auth-pass"));
  }

  @Test
  void rejectsAMasterNameThatIsNotAnObjectName() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SentinelConf.Inputs(
                List.of("10.1.2.3"),
                "10.1.2.3",
                26379,
                "/d",
                "a b",
                new Endpoint("10.0.0.7", 6379),
                "pw",
                "admin"));
  }

  @Test
  void inputsNeverPrintThePassword() {
    assertFalse(inputs("10.1.2.3", "s3cret").toString().contains("s3cret"));
  }
}
