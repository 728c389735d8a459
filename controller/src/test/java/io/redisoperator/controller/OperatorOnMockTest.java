package io.redisoperator.controller;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.redisoperator.controller.config.OperatorSettings;
import io.redisoperator.controller.support.FakeFleet;
import io.redisoperator.controller.support.FakeKubelet;
import io.redisoperator.controller.support.MockApi;
import io.redisoperator.controller.support.MockServers;
import io.redisoperator.controller.support.OptimisticLockingDispatcher;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The fixture the controller's end-to-end tests share: the fabric8 CRUD mock with the API server's
 * optimistic locking on status updates ({@link OptimisticLockingDispatcher}, one per test class), a
 * namespace of its own per test, the test playing kubelet with a fake agent per pod, and the
 * operator watching that namespace. After each test the operator is closed once the namespace has
 * settled, then the kubelet and the agents.
 */
abstract class OperatorOnMockTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  /** The mock logs every request at INFO through JUL; kept referenced so the level sticks. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  static final Duration TIMEOUT = Duration.ofSeconds(40);

  String ns;
  FakeFleet fleet;
  FakeKubelet kubelet;

  /** The operator under test; a test may close it and start another (closed after the test). */
  Operator operator;

  /** Prefixes this class's namespaces, so the tests of several classes never share one. */
  abstract String namespacePrefix();

  /**
   * Whether each test begins with the operator running; otherwise it calls {@link #startOperator}.
   */
  boolean startsWithOperator() {
    return true;
  }

  @BeforeAll
  static void startMock() {
    server = MockServers.start();
    client = server.createClient();
  }

  @AfterAll
  static void stopMock() {
    MockServers.stop(server, client);
  }

  @BeforeEach
  final void startFixture(TestInfo info) throws Exception {
    MockApi.installCrd(client);
    ns = MockApi.namespaceFor(info, namespacePrefix());
    fleet = new FakeFleet();
    kubelet = new FakeKubelet(client, ns, fleet);
    if (startsWithOperator()) {
      operator = startOperator();
    }
  }

  @AfterEach
  final void stopFixture() throws Exception {
    if (operator != null) {
      MockApi.awaitQuiet(client, ns);
      operator.close();
    }
    kubelet.close();
    fleet.close();
  }

  Operator startOperator() throws Exception {
    return Operator.start(settings(), client);
  }

  OperatorSettings settings() {
    return MockApi.operatorSettings(ns);
  }

  RedisCluster get(String name) {
    return client.resources(RedisCluster.class).inNamespace(ns).withName(name).get();
  }

  List<Pod> pods(String cluster) {
    return client.pods().inNamespace(ns).withLabel(Labels.CLUSTER, cluster).list().getItems();
  }

  void edit(String name, UnaryOperator<RedisCluster> change) {
    MockApi.edit(client, ns, name, change);
  }

  /** The cluster's recorded phase; null while it has none. */
  Phase phase(String name) {
    RedisCluster c = get(name);
    return c == null || c.getStatus() == null ? null : c.getStatus().getPhase();
  }

  void scale(String name, int instances) {
    edit(
        name,
        c -> {
          c.getSpec().setInstances(instances);
          return c;
        });
  }

  /** Sets the annotation, or removes it when {@code value} is null. */
  void annotate(String name, String key, String value) {
    edit(
        name,
        c -> {
          Map<String, String> annotations =
              new HashMap<>(
                  c.getMetadata().getAnnotations() == null
                      ? Map.of()
                      : c.getMetadata().getAnnotations());
          if (value == null) {
            annotations.remove(key);
          } else {
            annotations.put(key, value);
          }
          c.getMetadata().setAnnotations(annotations);
          return c;
        });
  }

  /**
   * The annotation's value; a merge patch with null removes it (the CRUD mock keeps the key with a
   * null value).
   */
  String annotation(String cluster, String key) {
    Map<String, String> annotations = get(cluster).getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  void createHealthy(RedisCluster cluster) {
    client.resource(cluster).create();
    awaitHealthy(cluster.getMetadata().getName(), cluster.getSpec().getInstances());
  }

  void awaitHealthy(String name, int instances) {
    await(name + " Healthy with " + instances + " ready instances")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              RedisCluster c = get(name);
              return c.getStatus() != null
                  && c.getStatus().getPhase() == Phase.HEALTHY
                  && c.getStatus().getReadyInstances() == instances
                  && pods(name).size() == instances;
            });
  }
}
