package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Secret;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.TlsSpec;
import io.redisoperator.protocol.naming.ResourceNames;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sentinel mode with operator-issued TLS, as an application sees it: the client Secret tells where
 * Sentinel is; the -sentinel Service answers TLS only, with a certificate the cluster's CA verifies
 * (and a client trusting only the JDK's CAs rejects); a Lettuce client discovers the primary
 * through Sentinel over TLS and writes to it over TLS. Then the primary's pod is killed: the
 * sentinels report the new primary, the client asks them again over TLS and writes there; every
 * sentinel check of {@link SentinelScenarioIT} runs over TLS too.
 */
@Tag("chaos")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelTlsFailoverIT extends SentinelScenarioIT {
  @Override
  String scenario() {
    return "sentinel-tls";
  }

  @Override
  void customize(RedisClusterSpec spec) {
    spec.setTls(new TlsSpec());
  }

  @Test
  @Order(1)
  void sentinelIsFoundFromTheClientSecretAndServesVerifiedTlsOnly() {
    step = "discovery";
    List<String> problems = new ArrayList<>();
    Map<String, String> secret = clientSecret();
    expect(
        problems,
        secret,
        "sentinel-host",
        ResourceNames.sentinelService(CLUSTER) + "." + NAMESPACE + ".svc");
    expect(problems, secret, "sentinel-port", Integer.toString(AgentApi.SENTINEL_PORT));
    expect(problems, secret, "sentinel-master", CLUSTER);
    if (!secret.getOrDefault(InstanceLayout.SECRET_KEY_CA_CERT, "").contains("BEGIN CERTIFICATE")) {
      problems.add("the client Secret has no CA certificate");
    }
    InetSocketAddress service =
        env.serviceAddress(
            NAMESPACE, ResourceNames.sentinelService(CLUSTER), AgentApi.SENTINEL_PORT);
    String plaintext = sentinelPing(service, null);
    if ("PONG".equals(plaintext)) {
      problems.add("the -sentinel Service answered plaintext");
    }
    // Trusting only the JDK's CAs: the handshake must fail, so the CA check below means something.
    String untrusted = sentinelPing(service, SslOptions.builder().jdkSslProvider().build());
    if ("PONG".equals(untrusted)) {
      problems.add("a client not trusting the cluster's CA completed the TLS handshake");
    }
    String trusted = sentinelPing(service, cluster.sslOptions());
    if (!"PONG".equals(trusted)) {
      problems.add("a client trusting the cluster's CA got no PONG from Sentinel: " + trusted);
    }
    problems.addAll(writesToTheRecordedPrimaryThroughSentinel("discovery"));
    report(-1, 0, -1, problems);
  }

  @Test
  @Order(2)
  void primaryPodKilledClientsRediscoverOverTls() {
    runPrimaryPodKilled(fault -> writesToTheRecordedPrimaryThroughSentinel("after-failover"));
  }

  /**
   * A fresh Sentinel-discovering TLS connection reaches the recorded primary (the server's own
   * address as {@code CLIENT INFO} gives it) and takes a write.
   */
  private List<String> writesToTheRecordedPrimaryThroughSentinel(String key) {
    String primary = primary();
    String expected = cluster.podIp(primary) + ":" + AgentApi.REDIS_PORT;
    try (StatefulRedisConnection<String, String> c = sentinels.connectToMaster()) {
      String serverAddress =
          java.util.Arrays.stream(c.sync().clientInfo().trim().split(" "))
              .filter(field -> field.startsWith("laddr="))
              .map(field -> field.substring("laddr=".length()))
              .findFirst()
              .orElse(null);
      List<String> problems = new ArrayList<>();
      if (!expected.equals(serverAddress)) {
        problems.add("Sentinel led the client to " + serverAddress + ", the record is " + expected);
      }
      if (!"OK".equals(c.sync().set("sentinel-tls:" + key, primary))) {
        problems.add("the write through Sentinel over TLS was not acknowledged");
      }
      return problems;
    } catch (RuntimeException e) {
      return List.of("no write through Sentinel over TLS: " + e);
    }
  }

  /** PING on a sentinel: plaintext when {@code ssl} is null; the answer, or what went wrong. */
  private String sentinelPing(InetSocketAddress address, SslOptions ssl) {
    RedisClient client = RedisClient.create();
    ClientOptions.Builder options = ClientOptions.builder().autoReconnect(false);
    RedisURI.Builder uri =
        RedisURI.builder()
            .withHost(address.getHostString())
            .withPort(address.getPort())
            .withTimeout(Duration.ofSeconds(2));
    if (ssl != null) {
      options.sslOptions(ssl);
      uri.withSsl(true).withVerifyPeer(SslVerifyMode.CA);
    }
    client.setOptions(options.build());
    try (var c = client.connectSentinel(uri.build())) {
      return c.sync().ping();
    } catch (RuntimeException e) {
      return String.valueOf(e);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private Map<String, String> clientSecret() {
    Secret secret =
        cluster
            .client()
            .secrets()
            .inNamespace(NAMESPACE)
            .withName(ResourceNames.tlsClientSecret(CLUSTER))
            .get();
    Map<String, String> decoded = new java.util.TreeMap<>();
    if (secret != null && secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  decoded.put(
                      k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    return decoded;
  }

  private static void expect(
      List<String> problems, Map<String, String> secret, String key, String value) {
    if (!value.equals(secret.get(key))) {
      problems.add("client Secret " + key + "=" + secret.get(key) + ", expected " + value);
    }
  }
}
