package io.redisoperator.controller.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.redisoperator.controller.leader.Leadership;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.support.MockServers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@link KubeGateway} sends the API server for one call. */
class KubeGatewayTest {
  static KubernetesMockServer server;
  static KubernetesClient client;
  static ExecutorService executor;
  static KubeGateway gateway;

  @BeforeAll
  static void start() {
    server = MockServers.start();
    client = server.createClient();
    executor = Executors.newFixedThreadPool(2);
    Leadership leadership = new Leadership();
    leadership.grant();
    gateway = new KubeGateway(client, executor, new OperatorMetrics(), "gateway-test", leadership);
  }

  @AfterAll
  static void stop() {
    executor.shutdownNow();
    MockServers.stop(server, client);
  }

  /**
   * A merge patch is one PATCH: no GET of the object before it (a label patch at start-up was a
   * read and a write, for every pod of every cluster, on an API server the start-up saturates).
   */
  @Test
  void aMergePatchIsOneRequest() throws Exception {
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace("gw")
                .withName("p-0")
                .endMetadata()
                .build())
        .create();
    drainRecorded();

    gateway
        .mergePatch(Pod.class, "gw", "p-0", "{\"metadata\":{\"labels\":{\"redis.io/role\":\"x\"}}}")
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    List<String> sent = drainRecorded();
    assertEquals(List.of("PATCH /api/v1/namespaces/gw/pods/p-0"), sent);
    assertEquals(
        "x",
        client
            .pods()
            .inNamespace("gw")
            .withName("p-0")
            .get()
            .getMetadata()
            .getLabels()
            .get("redis.io/role"));
  }

  @Test
  void aMergePatchOfAMissingObjectFailsWith404() throws Exception {
    Throwable failure =
        gateway
            .mergePatch(Pod.class, "gw", "absent", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}")
            .handle((result, error) -> error)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertTrue(KubeGateway.isCode(failure, 404), "failure: " + failure);
  }

  private static List<String> drainRecorded() throws InterruptedException {
    List<String> requests = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      requests.add(request.getMethod() + " " + request.getPath().replaceAll("\\?.*", ""));
    }
    return requests;
  }

  /**
   * A call the full executor refuses fails its stage instead of throwing into the caller: at 1000
   * clusters the first passes queued more creates than the executor holds, and the refusal thrown
   * inside each cluster actor's pass restarted 785 of them (and their pollers, with new connections
   * and handshakes) instead of failing the actions, which the pass retries.
   */
  @Test
  void aCallTheFullExecutorRefusesFailsItsStage() {
    java.util.concurrent.ThreadPoolExecutor full =
        new java.util.concurrent.ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new java.util.concurrent.SynchronousQueue<>(),
            new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    full.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    try {
      Leadership leadership = new Leadership();
      leadership.grant();
      KubeGateway busy =
          new KubeGateway(client, full, new OperatorMetrics(), "gateway-test", leadership);
      var stage = busy.get(Pod.class, "gw", "p-0").toCompletableFuture();
      var failure =
          org.junit.jupiter.api.Assertions.assertThrows(
              java.util.concurrent.ExecutionException.class, () -> stage.get(10, TimeUnit.SECONDS));
      assertTrue(
          failure.getCause() instanceof java.util.concurrent.RejectedExecutionException,
          failure.toString());
    } finally {
      release.countDown();
      full.shutdownNow();
    }
  }

  /**
   * A cluster's gateway queues its calls by the cluster's seniority: behind a busy API thread, the
   * first cluster's read goes before the second cluster's that was queued earlier.
   */
  @Test
  void aClustersCallsQueueByItsSeniority() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ThreadPoolExecutor api = busyUntil(release);
    try {
      KubeGateway shared = leadingGateway(api);
      List<String> done = new java.util.concurrent.CopyOnWriteArrayList<>();
      var second =
          shared.ranked(2).get(Pod.class, "gw", "p-0").thenRun(() -> done.add("second cluster"));
      var first =
          shared.ranked(1).get(Pod.class, "gw", "p-0").thenRun(() -> done.add("first cluster"));
      release.countDown();
      second.toCompletableFuture().get(10, TimeUnit.SECONDS);
      first.toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(List.of("first cluster", "second cluster"), done);
    } finally {
      release.countDown();
      api.shutdownNow();
    }
  }

  /**
   * Service creates past {@link KubeGateway#SERVICE_CREATES_IN_FLIGHT} wait in the gateway, not for
   * an API thread: behind a busy thread, six Service creates put four in the executor's queue, so a
   * Secret create queued after them is the fifth call there, not the seventh; every one is sent.
   */
  @Test
  void serviceCreatesPastTheBoundLeaveTheApiThreadsToOtherCalls() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ThreadPoolExecutor api = busyUntil(release);
    try {
      KubeGateway shared = leadingGateway(api);
      List<java.util.concurrent.CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(
            shared
                .ranked(1)
                .create(
                    new io.fabric8.kubernetes.api.model.ServiceBuilder()
                        .withNewMetadata()
                        .withNamespace("gw")
                        .withName("s-" + i)
                        .endMetadata()
                        .withNewSpec()
                        .withType("ClusterIP")
                        .endSpec()
                        .build())
                .toCompletableFuture());
      }
      calls.add(
          shared
              .ranked(2)
              .create(
                  new io.fabric8.kubernetes.api.model.SecretBuilder()
                      .withNewMetadata()
                      .withNamespace("gw")
                      .withName("secret")
                      .endMetadata()
                      .build())
              .toCompletableFuture());

      assertEquals(KubeGateway.SERVICE_CREATES_IN_FLIGHT + 1, api.getQueue().size());

      release.countDown();
      for (var call : calls) {
        call.get(10, TimeUnit.SECONDS);
      }
      assertEquals(6, client.services().inNamespace("gw").list().getItems().size());
    } finally {
      release.countDown();
      api.shutdownNow();
    }
  }

  /**
   * Only creates that wait for the cluster IP allocator pass the gate: with it full, a headless
   * Service's and an ExternalName Service's creates go straight to the executor.
   */
  @Test
  void servicesWithoutAClusterIpSkipTheGate() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ThreadPoolExecutor api = busyUntil(release);
    try {
      KubeGateway shared = leadingGateway(api);
      List<java.util.concurrent.CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < KubeGateway.SERVICE_CREATES_IN_FLIGHT; i++) {
        calls.add(shared.create(service("ip-" + i, "ClusterIP", null)).toCompletableFuture());
      }
      calls.add(shared.create(service("headless", "ClusterIP", "None")).toCompletableFuture());
      calls.add(shared.create(service("external", "ExternalName", null)).toCompletableFuture());

      assertEquals(KubeGateway.SERVICE_CREATES_IN_FLIGHT + 2, api.getQueue().size());

      release.countDown();
      for (var call : calls) {
        call.get(10, TimeUnit.SECONDS);
      }
    } finally {
      release.countDown();
      api.shutdownNow();
    }
  }

  private static io.fabric8.kubernetes.api.model.Service service(
      String name, String type, String clusterIp) {
    return new io.fabric8.kubernetes.api.model.ServiceBuilder()
        .withNewMetadata()
        .withNamespace("gw-kinds")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .withClusterIP(clusterIp)
        .withExternalName("ExternalName".equals(type) ? "redis.example.com" : null)
        .endSpec()
        .build();
  }

  /** A one-thread API executor whose thread is busy until {@code release} opens. */
  private static java.util.concurrent.ThreadPoolExecutor busyUntil(
      java.util.concurrent.CountDownLatch release) {
    java.util.concurrent.ThreadPoolExecutor api = ApiExecutor.create(1);
    api.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    return api;
  }

  /** A gateway on {@code api} whose controller leads. */
  private KubeGateway leadingGateway(java.util.concurrent.ThreadPoolExecutor api) {
    Leadership leadership = new Leadership();
    leadership.grant();
    return new KubeGateway(client, api, new OperatorMetrics(), "gateway-test", leadership);
  }
}
