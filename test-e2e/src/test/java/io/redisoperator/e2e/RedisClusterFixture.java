package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One RedisCluster under test, seen only through the Kubernetes API and its Services. */
final class RedisClusterFixture implements AutoCloseable {
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  private final ClusterEnvironment env;
  private final String namespace;
  private final String name;
  private final RedisClient redis = RedisClient.create();

  /** The CA clients trust once the cluster serves TLS (from its client Secret); null: plaintext. */
  private volatile java.nio.file.Path tlsCa;

  RedisClusterFixture(ClusterEnvironment env, String namespace, String name) {
    this.env = env;
    this.namespace = namespace;
    this.name = name;
    redis.setOptions(
        ClientOptions.builder()
            .autoReconnect(false)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build());
  }

  String name() {
    return name;
  }

  String namespace() {
    return namespace;
  }

  KubernetesClient client() {
    return env.client();
  }

  RedisCluster create(int instances) throws TimeoutException {
    return create(instances, spec -> {});
  }

  /**
   * Creates the cluster with {@code customize} applied to its spec; with spec.tls, clients then
   * connect over TLS.
   */
  RedisCluster create(int instances, java.util.function.Consumer<RedisClusterSpec> customize)
      throws TimeoutException {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setName(name);
    cluster.getMetadata().setNamespace(namespace);
    cluster.getSpec().setInstances(instances);
    customize.accept(cluster.getSpec());
    client().resource(cluster).create();
    RedisCluster healthy = awaitHealthy(Duration.ofMinutes(4));
    if (healthy.getSpec().getTls() != null) {
      useTlsFromClientSecret();
    }
    return healthy;
  }

  /** What an application does: takes the CA from the cluster's client Secret. */
  private void useTlsFromClientSecret() {
    Secret secret =
        client()
            .secrets()
            .inNamespace(namespace)
            .withName(ResourceNames.tlsClientSecret(name))
            .get();
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile(name + "-ca", ".crt");
      file.toFile().deleteOnExit();
      java.nio.file.Files.write(file, Base64.getDecoder().decode(secret.getData().get("ca.crt")));
      redis.setOptions(
          ClientOptions.builder()
              .autoReconnect(false)
              .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
              .sslOptions(SslOptions.builder().jdkSslProvider().trustManager(file.toFile()).build())
              .build());
      tlsCa = file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  boolean tls() {
    return tlsCa != null;
  }

  /**
   * What a client needs to verify the cluster's certificates: the CA from its client Secret; null
   * while the cluster is plaintext.
   */
  SslOptions sslOptions() {
    java.nio.file.Path ca = tlsCa;
    return ca == null
        ? null
        : SslOptions.builder().jdkSslProvider().trustManager(ca.toFile()).build();
  }

  RedisCluster get() {
    return client().resources(RedisCluster.class).inNamespace(namespace).withName(name).get();
  }

  RedisCluster awaitHealthy(Duration timeout) throws TimeoutException {
    return ClusterWait.awaitHealthy(client(), namespace, name, timeout);
  }

  RedisCluster await(java.util.function.Predicate<RedisCluster> condition, Duration timeout) {
    return client()
        .resources(RedisCluster.class)
        .inNamespace(namespace)
        .withName(name)
        .waitUntilCondition(
            c -> c != null && condition.test(c), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  String authSecretName() {
    RedisCluster cluster = get();
    if (cluster.getSpec().getAuthSecret() != null
        && cluster.getSpec().getAuthSecret().getName() != null) {
      return cluster.getSpec().getAuthSecret().getName();
    }
    return ResourceNames.generatedAuthSecret(name);
  }

  String password() {
    Secret secret = client().secrets().inNamespace(namespace).withName(authSecretName()).get();
    return new String(
        Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8);
  }

  InetSocketAddress leader() {
    return env.serviceAddress(namespace, ResourceNames.leaderService(name), AgentApi.REDIS_PORT);
  }

  /** Data pods of the cluster, by name. */
  Map<String, Pod> pods() {
    Map<String, Pod> pods = new LinkedHashMap<>();
    client()
        .pods()
        .inNamespace(namespace)
        .withLabel(Labels.CLUSTER, name)
        .withLabel(Labels.WORKLOAD, Labels.WORKLOAD_DATA)
        .list()
        .getItems()
        .stream()
        .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
        .forEach(p -> pods.put(p.getMetadata().getName(), p));
    return pods;
  }

  List<String> podsLabelledPrimary() {
    return client()
        .pods()
        .inNamespace(namespace)
        .withLabel(Labels.CLUSTER, name)
        .withLabel(Labels.ROLE, Labels.ROLE_PRIMARY)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  String podIp(String pod) {
    Pod p = client().pods().inNamespace(namespace).withName(pod).get();
    return p == null || p.getStatus() == null ? null : p.getStatus().getPodIP();
  }

  StatefulRedisConnection<String, String> connect(InetSocketAddress address) {
    return connect(address, password());
  }

  StatefulRedisConnection<String, String> connect(InetSocketAddress address, String password) {
    return connect(address, "default", password);
  }

  /** As the ACL user {@code user} (spec.users). */
  StatefulRedisConnection<String, String> connect(
      InetSocketAddress address, String user, String password) {
    RedisURI.Builder uri =
        RedisURI.builder()
            .withHost(address.getHostString())
            .withPort(address.getPort())
            .withAuthentication(user, password.toCharArray())
            .withTimeout(COMMAND_TIMEOUT);
    if (tlsCa != null) {
      // The test reaches the Services through proxy addresses the certificate cannot name: the
      // chain is checked.
      uri.withSsl(true).withVerifyPeer(SslVerifyMode.CA);
    }
    return redis.connect(uri.build());
  }

  StatefulRedisConnection<String, String> connectToPod(String pod) {
    return connect(env.podAddress(podIp(pod), AgentApi.REDIS_PORT));
  }

  static Map<String, String> parseInfo(String info) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  Map<String, String> infoReplication(String pod) {
    try (StatefulRedisConnection<String, String> c = connectToPod(pod)) {
      return parseInfo(c.sync().info("replication"));
    }
  }

  @Override
  public void close() {
    redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
