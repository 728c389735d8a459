package io.redisoperator.agent.it;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.redisoperator.agent.AgentSettings;
import io.redisoperator.agent.InstanceAgent;
import io.redisoperator.agent.kube.KubeClusterReader;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real agents (in-process, each with its own redis-server on its own 127.0.1x.y address) against a
 * fabric8 mock API server in CRUD mode.
 *
 * <p>An IT declares one per test as {@code @RegisterExtension final AgentHarness h = new
 * AgentHarness();}: the API server starts before the test's own {@code @BeforeEach} methods, and
 * everything the test started (agents, their redis-servers, the API server, the directories) is
 * closed after its {@code @AfterEach} methods, whether the test, its set-up or the harness' own
 * start failed. Outside JUnit, {@link #started()} in a try-with-resources does the same.
 */
final class AgentHarness implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
  static final String NAMESPACE = "test";
  static final String CLUSTER = "rc";
  static final String PASSWORD = "s3cret pass \"quoted\"";
  static final String AGENT_PASSWORD = "agent pass \"quoted\"";
  static final String REPLICATION_PASSWORD = "replication-pass";
  static final String SENTINEL_PASSWORD = "sentinel-pass";

  /**
   * The users the controller would hand a pod, with {@code default} declared with every right (as
   * spec.users may): these tests drive Redis as {@code default} (CONFIG GET, CLIENT KILL); AclIT
   * covers the restricted default.
   */
  static io.redisoperator.protocol.acl.AclUsers aclUsers(
      long generation, List<String> defaultRules, String... defaultPasswords) {
    List<io.redisoperator.protocol.acl.AclUser> users =
        new java.util.ArrayList<>(
            io.redisoperator.protocol.acl.OperatorUsers.users(
                List.of(io.redisoperator.protocol.acl.PasswordHash.of(AGENT_PASSWORD)),
                List.of(io.redisoperator.protocol.acl.PasswordHash.of(REPLICATION_PASSWORD)),
                List.of(io.redisoperator.protocol.acl.PasswordHash.of(SENTINEL_PASSWORD))));
    users.add(
        new io.redisoperator.protocol.acl.AclUser(
            "default",
            defaultRules,
            java.util.Arrays.stream(defaultPasswords)
                .map(io.redisoperator.protocol.acl.PasswordHash::of)
                .toList()));
    return new io.redisoperator.protocol.acl.AclUsers(generation, users);
  }

  /** Held so the level sticks (JUL keeps loggers weakly). */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private KubernetesMockServer api;
  private NamespacedKubernetesClient kube;
  private int apiPort;
  private Path root;
  private final List<Node> nodes = new ArrayList<>();
  private final HttpClient plainHttp =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * The cluster's agent CA, as the controller keeps it, and the controller's client certificate.
   */
  final CertificateAuthority agentCa =
      CertificateAuthority.create("rc agent CA", Instant.now(), Duration.ofDays(3650));

  final KeyMaterial controller =
      agentCa.issue(
          CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofDays(1)), Instant.now());

  /** A harness not started yet: JUnit starts it, as an extension, before each test. */
  AgentHarness() {}

  /** A started harness, for code that runs outside JUnit's lifecycle; close it. */
  static AgentHarness started() throws IOException {
    AgentHarness h = new AgentHarness();
    try {
      h.start();
    } catch (IOException | RuntimeException e) {
      try {
        h.close();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return h;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    start();
  }

  /** Runs even when {@link #beforeEach} or the test's own set-up failed half-way. */
  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    close();
  }

  private void start() throws IOException {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    root = Files.createTempDirectory("agent-it");
    startApi(0);
  }

  void startApi(int port) throws IOException {
    api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    api.init(InetAddress.getByName("127.0.0.1"), port);
    kube = api.createClient();
    apiPort = kube.getMasterUrl().getPort();
  }

  void stopApi() {
    kube.close();
    api.destroy();
  }

  /** Requests the mock API server has served so far (every client, every path). */
  int apiRequestCount() {
    return api.getRequestCount();
  }

  /** The directory the nodes' directories are made in; null until started and once closed. */
  Path root() {
    return root;
  }

  /**
   * Where an agent under test keeps its files: its data, settings, passwords, agent TLS and Redis
   * TLS directories (the backup credentials and restore source sit beside the config directory).
   */
  record PodDirs(Path data, Path config, Path auth, Path agentTls, Path redisTls) {
    /** A Sentinel pod's: config and both TLS directories inside its data directory. */
    static PodDirs insideData(Path data, Path auth) {
      return new PodDirs(
          data, data.resolve("config"), auth, data.resolve("agent-tls"), data.resolve("redis-tls"));
    }

    /** These directories, Redis' TLS files read from {@code redisTls} instead. */
    PodDirs withRedisTls(Path redisTls) {
      return new PodDirs(data, config, auth, agentTls, redisTls);
    }
  }

  /** How often a test agent refreshes its status from INFO unless the test says otherwise. */
  static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofMillis(100);

  /**
   * The settings of an agent under test: its own address and directories, this harness's API
   * server, and timeouts short enough for a test.
   */
  AgentSettings settingsFor(String podName, String ip, PodDirs dirs) {
    return settingsFor(podName, ip, dirs, DEFAULT_STATUS_INTERVAL);
  }

  /**
   * As the settings above, the agent reading INFO in the background every {@code statusInterval}.
   */
  AgentSettings settingsFor(String podName, String ip, PodDirs dirs, Duration statusInterval) {
    return new AgentSettings(
        new AgentSettings.PodIdentity(podName, NAMESPACE, CLUSTER, ip),
        "redis-server",
        new AgentSettings.Ports(AgentApi.REDIS_PORT, AgentApi.PORT, AgentApi.PROBE_PORT),
        AgentSettings.Directories.besideConfig(
            dirs.data(), dirs.config(), dirs.auth(), dirs.agentTls(), dirs.redisTls()),
        new AgentSettings.Timing(
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofMillis(800),
            statusInterval,
            Duration.ofMillis(200)),
        10,
        apiUrl());
  }

  String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  NamespacedKubernetesClient kube() {
    return kube;
  }

  /** Writes the RedisCluster with this status (the controller's record). */
  void clusterStatus(String currentPrimary, List<String> fenced) {
    clusterStatus(currentPrimary, fenced, List.of());
  }

  /**
   * The status as the controller would write it, {@code unreachable} naming pods its polls cannot
   * reach.
   */
  void clusterStatus(String currentPrimary, List<String> fenced, List<String> unreachable) {
    RedisCluster existing =
        kube.resources(RedisCluster.class).inNamespace(NAMESPACE).withName(CLUSTER).get();
    RedisCluster cr = existing != null ? existing : new RedisCluster();
    if (existing == null) {
      cr.setMetadata(new ObjectMetaBuilder().withName(CLUSTER).withNamespace(NAMESPACE).build());
    }
    RedisClusterStatus status = new RedisClusterStatus();
    status.setCurrentPrimary(currentPrimary);
    status.setFencedInstances(new ArrayList<>(fenced));
    status.setUnreachableInstances(new ArrayList<>(unreachable));
    cr.setStatus(status);
    if (existing == null) {
      kube.resources(RedisCluster.class).inNamespace(NAMESPACE).resource(cr).create();
    } else {
      kube.resources(RedisCluster.class).inNamespace(NAMESPACE).resource(cr).update();
    }
  }

  void pod(String name, String ip) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NAMESPACE)
            .addToLabels(Labels.CLUSTER, CLUSTER)
            .addToLabels(Labels.WORKLOAD, Labels.WORKLOAD_DATA)
            .endMetadata()
            .withNewStatus()
            .withPodIP(ip)
            .endStatus()
            .build();
    kube.pods().inNamespace(NAMESPACE).resource(pod).createOr(op -> op.update());
  }

  /**
   * rc-0 on {@code primaryIp} recorded as primary and rc-1 on {@code replicaIp} replicating from
   * it, both up.
   */
  Node[] linkedPair(String primaryIp, String replicaIp) throws Exception {
    Node a = node(0, primaryIp);
    Node b = node(1, replicaIp);
    pod("rc-0", a.ip);
    pod("rc-1", b.ip);
    clusterStatus("rc-0", List.of());
    a.start();
    b.start();
    a.awaitUp();
    b.awaitUp();
    awaitLinked(a, b);
    return new Node[] {a, b};
  }

  /**
   * A new cluster (no primary recorded yet): rc-0 on {@code primaryIp} starts writable, rc-1 on
   * {@code replicaIp} waits; the replicate request the controller would send pairs them.
   */
  Node[] newPair(String primaryIp, String replicaIp) throws Exception {
    clusterStatus(null, List.of());
    Node a = node(0, primaryIp).start();
    Node b = node(1, replicaIp).start();
    a.awaitUp();
    b.awaitUp();
    pod(a.podName, a.ip);
    pod(b.podName, b.ip);
    b.replicateFrom(a);
    awaitLinked(a, b);
    return new Node[] {a, b};
  }

  /**
   * Linked from both sides: the replica's link is up and the primary lists it online (it may list
   * it a moment later, and a switchover to it is refused until then).
   */
  static void awaitLinked(Node primary, Node replica) throws Exception {
    await(
        "replica linked",
        Duration.ofSeconds(10),
        () ->
            Boolean.TRUE.equals(replica.status().masterLinkUp())
                && primary.status().connectedReplicas().stream()
                    .anyMatch(r -> r.ip().equals(replica.ip) && "online".equals(r.state())));
  }

  Node node(int ordinal, String ip) throws IOException {
    Node n = new Node(ordinal, ip);
    nodes.add(n);
    return n;
  }

  /**
   * Stops what was started, as far as it got: every node, then the API server, then the
   * directories. A failure to stop one thing does not leave the others running; the first is thrown
   * with the rest suppressed.
   */
  @Override
  public void close() throws IOException {
    List<Exception> failures = new ArrayList<>();
    for (Node n : nodes) {
      try {
        n.stop();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    nodes.clear();
    if (api != null) {
      try {
        stopApi();
      } catch (RuntimeException e) {
        // already stopped by the test
      }
      api = null;
    }
    if (root != null) {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        failures.add(e);
      }
      root = null;
    }
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      if (first instanceof IOException io) {
        throw io;
      }
      throw (RuntimeException) first;
    }
  }

  /**
   * Checks that {@code condition} holds all along {@code period}, polled every 100 ms: what a test
   * means by "stays so for a while" (never a sleep followed by one look).
   */
  static void holds(String what, Duration period, BooleanSupplier condition) {
    holds(what, period, Duration.ofMillis(100), condition);
  }

  /** As {@link #holds(String, Duration, BooleanSupplier)}, polled every {@code every}. */
  static void holds(String what, Duration period, Duration every, BooleanSupplier condition) {
    Awaitility.await(what)
        .during(period)
        .atMost(period.plus(Duration.ofSeconds(2)))
        .pollDelay(Duration.ZERO)
        .pollInterval(every)
        .until(condition::getAsBoolean);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    Awaitility.await(what)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(condition::getAsBoolean);
  }

  /**
   * @param statusVersion the status version header of a /v1/status answer (null elsewhere)
   * @param volatiles the moving fields of an unchanged (304) status answer (null elsewhere)
   */
  record Reply(int status, String body, String statusVersion, String volatiles) {
    <T> T as(Class<T> type) {
      try {
        return Json.mapper().readValue(body, type);
      } catch (IOException e) {
        throw new AssertionError("unexpected body " + body, e);
      }
    }
  }

  /** One data pod: its directories, its agent and helpers to talk to both. */
  final class Node {
    final int ordinal;
    final String ip;
    final String podName;
    final Path dataDir;
    final Path configDir;
    final Path authDir;
    final Path agentTlsDir;
    final Path redisTlsDir;
    final Path aclDir;
    InstanceAgent agent;
    private HttpClient controllerHttp;
    private Duration statusInterval = DEFAULT_STATUS_INTERVAL;

    /** Set for a node whose Redis serves TLS: the CA file the test's clients trust. */
    volatile Path clientCa;

    private int secretGeneration;

    Node(int ordinal, String ip) throws IOException {
      this.ordinal = ordinal;
      this.ip = ip;
      this.podName = ResourceNames.podName(CLUSTER, ordinal);
      Path base = root.resolve(podName + "-" + ip);
      this.dataDir = Files.createDirectories(base.resolve("data"));
      this.configDir = Files.createDirectories(base.resolve("config"));
      this.authDir = Files.createDirectories(base.resolve("auth"));
      this.agentTlsDir = Files.createDirectories(base.resolve("agent-tls"));
      this.redisTlsDir = Files.createDirectories(base.resolve("redis-tls"));
      this.aclDir = Files.createDirectories(base.resolve("acl"));
      projectSecret(
          authDir,
          java.util.Map.of(
              InstanceLayout.AUTH_KEY_AGENT,
              AGENT_PASSWORD,
              InstanceLayout.AUTH_KEY_REPLICATION,
              REPLICATION_PASSWORD));
      projectAcl(aclUsers(1, List.of("~*", "&*", "+@all"), PASSWORD));
      projectAgentTls(agentCa, agentCa.certificate());
      settings(new InstanceSettings(java.util.Map.of("loglevel", "warning"), null, null));
    }

    /**
     * Writes a key the way the kubelet does: a fresh ..timestamp dir, then an atomic swap of the
     * ..data symlink.
     */
    String projectSecret(Path dir, String key, String value) throws IOException {
      String version = "..gen_" + (++secretGeneration) + "_" + System.nanoTime();
      Path data = Files.createDirectories(dir.resolve(version));
      Files.writeString(data.resolve(key), value);
      Path tmpLink = dir.resolve("..data_tmp");
      Files.deleteIfExists(tmpLink);
      Files.createSymbolicLink(tmpLink, Path.of(version));
      Files.move(
          tmpLink,
          dir.resolve("..data"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      if (!Files.isSymbolicLink(dir.resolve(key))) {
        Files.createSymbolicLink(dir.resolve(key), Path.of("..data").resolve(key));
      }
      return version;
    }

    /** Projects the users the agent applies, as the controller's {@code <cluster>-acl} Secret. */
    String projectAcl(io.redisoperator.protocol.acl.AclUsers users) throws IOException {
      return projectSecret(
          aclDir, InstanceLayout.ACL_KEY_USERS, Json.mapper().writeValueAsString(users));
    }

    /**
     * Issues this pod's agent certificate from {@code ca} and projects it with {@code trusted} as
     * the CA bundle.
     */
    void projectAgentTls(CertificateAuthority ca, X509Certificate... trusted) throws IOException {
      KeyMaterial own =
          ca.issue(
              CertificateRequest.server(
                  podName, AgentTls.podNames(podName, NAMESPACE), Duration.ofDays(90)),
              Instant.now());
      projectSecret(
          agentTlsDir,
          java.util.Map.of(
              InstanceLayout.SECRET_KEY_TLS_CERT, own.certificatePem(),
              InstanceLayout.SECRET_KEY_TLS_KEY, own.keyPem(),
              InstanceLayout.SECRET_KEY_CA_CERT, Pem.encode(List.of(trusted))));
    }

    /**
     * Issues Redis' certificate (server and client use: replicas present it to their primary) from
     * {@code ca} and projects it with {@code trusted} as the CA bundle.
     */
    void projectRedisTls(CertificateAuthority ca, X509Certificate... trusted) throws IOException {
      KeyMaterial own =
          ca.issue(
              new CertificateRequest(
                  podName,
                  List.of(podName),
                  List.of(ip),
                  CertificateRequest.Usage.SERVER_AND_CLIENT,
                  Duration.ofDays(90)),
              Instant.now());
      projectSecret(
          redisTlsDir,
          java.util.Map.of(
              InstanceLayout.SECRET_KEY_TLS_CERT, own.certificatePem(),
              InstanceLayout.SECRET_KEY_TLS_KEY, own.keyPem(),
              InstanceLayout.SECRET_KEY_CA_CERT, Pem.encode(List.of(trusted))));
    }

    /** A TLS client trusting only the CAs in {@code caPem}. */
    RedisConnection redisTls(Path caPem) {
      return new RedisConnection(ip, PASSWORD, caPem);
    }

    /** Writes several keys in one update, as the kubelet does for a Secret. */
    String projectSecret(Path dir, java.util.Map<String, String> values) throws IOException {
      String version = "..gen_" + (++secretGeneration) + "_" + System.nanoTime();
      Path data = Files.createDirectories(dir.resolve(version));
      for (var e : values.entrySet()) {
        Files.writeString(data.resolve(e.getKey()), e.getValue());
      }
      Path tmpLink = dir.resolve("..data_tmp");
      Files.deleteIfExists(tmpLink);
      Files.createSymbolicLink(tmpLink, Path.of(version));
      Files.move(
          tmpLink,
          dir.resolve("..data"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      for (String key : values.keySet()) {
        if (!Files.isSymbolicLink(dir.resolve(key))) {
          Files.createSymbolicLink(dir.resolve(key), Path.of("..data").resolve(key));
        }
      }
      return version;
    }

    void settings(InstanceSettings s) throws IOException {
      settingsJson(Json.mapper().writeValueAsString(s));
    }

    void settingsJson(String json) throws IOException {
      Path tmp = configDir.resolve(".settings.tmp");
      Files.writeString(tmp, json);
      Files.move(
          tmp,
          configDir.resolve(InstanceLayout.CONFIG_KEY_SETTINGS),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }

    AgentSettings agentSettings() {
      return settingsFor(
          podName,
          ip,
          new PodDirs(dataDir, configDir, authDir, agentTlsDir, redisTlsDir),
          statusInterval);
    }

    /**
     * The agent started next reads INFO in the background every {@code every} (the pod's default is
     * 250 ms): a test that must see what a status answer reads on its own, not what the last
     * background round left on the board.
     */
    Node statusInterval(Duration every) {
      statusInterval = every;
      return this;
    }

    Node start() throws IOException {
      AgentSettings s = agentSettings();
      agent =
          InstanceAgent.start(
              s,
              new KubeClusterReader(
                  KubeClusterReader.clientFrom(s.timing().kubeTimeout(), apiUrl()),
                  NAMESPACE,
                  CLUSTER,
                  podName,
                  s.timing().kubeTimeout()));
      return this;
    }

    void stop() {
      if (agent != null) {
        agent.close();
        agent = null;
      }
    }

    /**
     * Promotes this replica as the operator's failover does (from any offset, 3 s to act); anything
     * but 200 fails the test.
     */
    void promote() {
      ok(
          "promote",
          call(
              "POST",
              AgentApi.PATH_PROMOTE,
              new PromoteRequest(status().masterReplId(), 0L, 3000L)));
    }

    /** Points this instance at {@code primary}; anything but 200 fails the test. */
    void replicateFrom(Node primary) {
      ok(
          "replicate",
          call(
              "POST",
              AgentApi.PATH_REPLICATE,
              new ReplicateRequest(primary.ip, AgentApi.REDIS_PORT, primary.podName)));
    }

    private void ok(String operation, Reply reply) {
      if (reply.status() != 200) {
        throw new AssertionError(
            operation + " on " + podName + " answered " + reply.status() + ": " + reply.body());
      }
    }

    /**
     * As the controller: /v1 over mutual TLS with its client certificate; probes and metrics in
     * plain HTTP. A String body is sent as it is (malformed requests), anything else as JSON.
     */
    Reply call(String method, String path, Object body) {
      try {
        String json =
            body == null || body instanceof String
                ? (String) body
                : Json.mapper().writeValueAsString(body);
        return path.startsWith("/v1/")
            ? send(controllerHttp(), "https://" + ip + ":" + AgentApi.PORT + path, method, json)
            : send(plainHttp, "http://" + ip + ":" + AgentApi.PROBE_PORT + path, method, json);
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * As {@link #call}, carrying a controller lease epoch ({@link AgentApi#LEADER_EPOCH_HEADER}).
     */
    Reply callWithEpoch(String method, String path, Object body, long epoch) {
      try {
        String json =
            body == null || body instanceof String
                ? (String) body
                : Json.mapper().writeValueAsString(body);
        return send(
            controllerHttp(),
            "https://" + ip + ":" + AgentApi.PORT + path,
            method,
            json,
            java.util.Map.of(AgentApi.LEADER_EPOCH_HEADER, Long.toString(epoch)));
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** As {@link #call} without a body, with these request headers. */
    Reply callWithHeaders(String method, String path, java.util.Map<String, String> headers) {
      try {
        return send(
            controllerHttp(), "https://" + ip + ":" + AgentApi.PORT + path, method, null, headers);
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The controller's client for this pod, kept so its connection (and TLS session) is reused. */
    private synchronized HttpClient controllerHttp() throws java.security.GeneralSecurityException {
      if (controllerHttp == null) {
        controllerHttp =
            HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .sslContext(
                    AgentTls.clientContext(controller, List.of(agentCa.certificate()), podName))
                .build();
      }
      return controllerHttp;
    }

    /**
     * A /v1 call over TLS with {@code client}'s certificate; throws when the handshake is refused.
     */
    Reply callAs(SSLContext client, String method, String path, String json) throws IOException {
      HttpClient https =
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(client).build();
      return send(https, "https://" + ip + ":" + AgentApi.PORT + path, method, json);
    }

    private Reply send(HttpClient client, String uri, String method, String json)
        throws IOException {
      return send(client, uri, method, json, java.util.Map.of());
    }

    private Reply send(
        HttpClient client,
        String uri,
        String method,
        String json,
        java.util.Map<String, String> headers)
        throws IOException {
      // Longer than the longest status hold (AgentApi.MAX_STATUS_WAIT_MILLIS).
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20));
      headers.forEach(b::header);
      b.header("Content-Type", "application/json");
      b.method(
          method,
          json == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(json));
      try {
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
            r.statusCode(),
            r.body(),
            r.headers().firstValue(AgentApi.STATUS_VERSION_HEADER).orElse(null),
            r.headers().firstValue(AgentApi.STATUS_VOLATILES_HEADER).orElse(null));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    InstanceStatus status() {
      Reply r = call("GET", AgentApi.PATH_STATUS, null);
      if (r.status() != 200) {
        throw new IllegalStateException("status answered " + r.status() + ": " + r.body());
      }
      return r.as(InstanceStatus.class);
    }

    RedisConnection redis() {
      return new RedisConnection(ip, PASSWORD, clientCa);
    }

    /** redis-server's pid, from INFO. */
    long redisPid() {
      try (RedisConnection c = redis()) {
        return c.info("server").getLong("process_id").orElseThrow();
      }
    }

    RedisConnection redis(String password) {
      return new RedisConnection(ip, password, clientCa);
    }

    void awaitUp() throws InterruptedException {
      try (RedisConnection c = redis()) {
        await(podName + " redis up", Duration.ofSeconds(20), () -> status().redisUp() && c.ping());
      }
    }
  }
}
