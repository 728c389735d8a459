package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DnsResolvers;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Sentinel-aware client of one cluster, as an application has it: it asks the {@code
 * <cluster>-sentinel} Service for the master named after the cluster (Lettuce's Sentinel support),
 * then connects to the address Sentinel gives. Addresses Sentinel hands out are pod IPs; they are
 * mapped through the environment (identity on the sandbox, a port-forward elsewhere). Also reaches
 * each sentinel pod directly, for the checks. When the cluster serves TLS (known when this is
 * created), every connection, to the sentinels and to the primary, is TLS verified against the CA
 * of the cluster's client Secret.
 */
final class SentinelAccess implements AutoCloseable {
  private final ClusterEnvironment env;
  private final RedisClusterFixture cluster;
  private volatile InetSocketAddress service;
  private final ClientResources resources;
  private final RedisClient redis;

  SentinelAccess(ClusterEnvironment env, RedisClusterFixture cluster) {
    this.env = env;
    this.cluster = cluster;
    this.resources =
        ClientResources.builder()
            .socketAddressResolver(
                MappingSocketAddressResolver.create(DnsResolvers.UNRESOLVED, this::reachable))
            .build();
    this.redis = RedisClient.create(resources);
    ClientOptions.Builder options =
        ClientOptions.builder()
            .autoReconnect(false)
            .timeoutOptions(TimeoutOptions.enabled(RedisClusterFixture.COMMAND_TIMEOUT));
    if (cluster.tls()) {
      options.sslOptions(cluster.sslOptions());
    }
    redis.setOptions(options.build());
  }

  /** The -sentinel Service's address, looked up once it exists (not in standalone mode). */
  private InetSocketAddress service() {
    if (service == null) {
      service =
          env.serviceAddress(
              cluster.namespace(),
              ResourceNames.sentinelService(cluster.name()),
              AgentApi.SENTINEL_PORT);
    }
    return service;
  }

  /** The Service address stays as it is; anything else Sentinel names is a pod address. */
  private HostAndPort reachable(HostAndPort address) {
    InetSocketAddress service = this.service;
    if (service != null
        && address.getHostText().equals(service.getHostString())
        && address.getPort() == service.getPort()) {
      return address;
    }
    InetSocketAddress mapped = env.podAddress(address.getHostText(), address.getPort());
    return HostAndPort.of(mapped.getHostString(), mapped.getPort());
  }

  /** Sentinel's master name for the cluster: the cluster's name. */
  String masterName() {
    return cluster.name();
  }

  /**
   * A connection to the primary Sentinel names now, found through the -sentinel Service. The data
   * password is the cluster's; discovery takes no password.
   */
  StatefulRedisConnection<String, String> connectToMaster() {
    InetSocketAddress service = service();
    RedisURI.Builder uri =
        RedisURI.Builder.sentinel(service.getHostString(), service.getPort(), masterName())
            .withAuthentication("default", cluster.password().toCharArray())
            .withTimeout(RedisClusterFixture.COMMAND_TIMEOUT);
    return redis.connect(StringCodec.UTF8, tlsIfServed(uri).build());
  }

  /**
   * With TLS, the connections {@code uri} leads to (the sentinels, and with Sentinel discovery the
   * primary it names) are TLS and verify the certificate chain. Not the host name: the test reaches
   * Services and pods through addresses the certificates need not name.
   */
  private RedisURI.Builder tlsIfServed(RedisURI.Builder uri) {
    return cluster.tls() ? uri.withSsl(true).withVerifyPeer(SslVerifyMode.CA) : uri;
  }

  /** The cluster's sentinel pods by name (any state). */
  Map<String, Pod> sentinelPods() {
    Map<String, Pod> pods = new LinkedHashMap<>();
    cluster
        .client()
        .pods()
        .inNamespace(cluster.namespace())
        .withLabel(Labels.CLUSTER, cluster.name())
        .withLabel(Labels.WORKLOAD, Labels.WORKLOAD_SENTINEL)
        .list()
        .getItems()
        .stream()
        .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
        .forEach(p -> pods.put(p.getMetadata().getName(), p));
    return pods;
  }

  /** A direct connection to the sentinel listening on {@code podIp}. */
  StatefulRedisSentinelConnection<String, String> connectToSentinel(String podIp) {
    InetSocketAddress address = env.podAddress(podIp, AgentApi.SENTINEL_PORT);
    RedisURI.Builder uri =
        RedisURI.builder()
            .withHost(address.getHostString())
            .withPort(address.getPort())
            .withTimeout(Duration.ofSeconds(2));
    return redis.connectSentinel(StringCodec.UTF8, tlsIfServed(uri).build());
  }

  @Override
  public void close() {
    redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown();
  }
}
