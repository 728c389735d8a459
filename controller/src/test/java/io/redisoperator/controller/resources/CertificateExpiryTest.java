package io.redisoperator.controller.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.TlsSpec;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CertificateExpiryTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  private static RedisCluster cluster() {
    RedisCluster c = new RedisCluster();
    c.getMetadata().setName("cache");
    c.getMetadata().setNamespace("prod");
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(2);
    spec.setTls(new TlsSpec());
    c.setSpec(spec);
    return c;
  }

  @Test
  void everyKindWithTheEarliestPodCertificate() {
    RedisCluster cluster = cluster();
    Secret agentCa = ClusterAuthority.AGENT.newSecret(cluster, NOW);
    CertificateAuthority agent = ClusterAuthority.read(agentCa).orElseThrow();
    Secret older = AgentCertificates.podSecret(cluster, "cache-0", agent, agentCa, NOW);
    Secret newer =
        AgentCertificates.podSecret(
            cluster, "cache-1", agent, agentCa, NOW.plus(Duration.ofDays(10)));
    Secret redisCa = ClusterAuthority.REDIS.newSecret(cluster, NOW);
    Secret server =
        RedisCertificates.serverSecret(
            cluster, ClusterAuthority.read(redisCa).orElseThrow(), redisCa, NOW);
    Secret unrelated = ClusterSecrets.generatedAuth(cluster);

    Map<String, Instant> expiry =
        CertificateExpiry.of("cache", List.of(agentCa, newer, older, redisCa, server, unrelated));

    assertEquals(
        List.of("agent", "agent-ca", "redis-ca", "redis-server"), List.copyOf(expiry.keySet()));
    assertEquals(
        NOW.plus(AgentCertificates.POD_VALIDITY), expiry.get("agent").truncatedTo(ChronoUnit.DAYS));
    assertEquals(
        NOW.plus(ClusterAuthority.VALIDITY), expiry.get("agent-ca").truncatedTo(ChronoUnit.DAYS));
    assertEquals(
        NOW.plus(RedisCertificates.SERVER_VALIDITY),
        expiry.get("redis-server").truncatedTo(ChronoUnit.DAYS));
  }

  @Test
  void theGaugeHasOneSeriesPerKindAndGoesWithTheCluster() {
    OperatorMetrics metrics = new OperatorMetrics();
    metrics.certificates("prod", "cache", Map.of("agent", Instant.ofEpochSecond(1_800_000_000L)));
    String scrape = metrics.scrape();
    assertEquals(
        true,
        scrape.contains(
            "redis_operator_certificate_expiry_timestamp_seconds{cluster=\"cache\",kind=\"agent\",namespace=\"prod\"} 1.8E9"),
        scrape);
    metrics.clusterGone("prod", "cache");
    assertEquals(false, metrics.scrape().contains("kind=\"agent\""));
  }

  @Test
  void aRenewedCertificateShowsAtTheNextScrape() {
    OperatorMetrics metrics = new OperatorMetrics();
    metrics.certificates("prod", "cache", Map.of("agent", Instant.ofEpochSecond(1_800_000_000L)));
    metrics.scrape();
    metrics.certificates("prod", "cache", Map.of("agent", Instant.ofEpochSecond(1_900_000_000L)));
    metrics.certificates("prod", "other", Map.of("agent", Instant.ofEpochSecond(1_700_000_000L)));
    String scrape = metrics.scrape();
    assertEquals(
        true,
        scrape.contains(
            "redis_operator_certificate_expiry_timestamp_seconds{cluster=\"cache\",kind=\"agent\",namespace=\"prod\"} 1.9E9"),
        scrape);
    assertEquals(
        true,
        scrape.contains(
            "redis_operator_certificate_expiry_timestamp_seconds{cluster=\"other\",kind=\"agent\",namespace=\"prod\"} 1.7E9"),
        scrape);
  }
}
