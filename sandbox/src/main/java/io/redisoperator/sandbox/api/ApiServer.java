package io.redisoperator.sandbox.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's API server: fabric8's mock in CRUD mode on a loopback port, with the operator's
 * CRDs installed, the discovery documents kubectl needs, graceful pod deletion and Service cluster
 * IPs ({@link SandboxDispatcher}). A long-running mock would keep every request in memory and log
 * each at INFO, so a daemon thread drains the request queue and the mock's logger is kept at
 * WARNING.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /**
   * Where the protocol module's build puts the generated CRDs (on the classpath through the
   * protocol jar).
   */
  private static final List<String> CRD_RESOURCES =
      List.of(
          "META-INF/fabric8/redisclusters.redis.io-v1.yml",
          "META-INF/fabric8/redisbackups.redis.io-v1.yml",
          "META-INF/fabric8/redisscheduledbackups.redis.io-v1.yml");

  /**
   * Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its
   * level.
   */
  private static final java.util.logging.Logger MOCK_LOGGER =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  private final KubernetesMockServer server;
  private final Thread drainer;
  private final String url;
  private final List<KubernetesClient> clients = Collections.synchronizedList(new ArrayList<>());

  private ApiServer(KubernetesMockServer server, Thread drainer, String url) {
    this.server = server;
    this.drainer = drainer;
    this.url = url;
  }

  /** Starts on {@code address:port} (port 0: ephemeral) and installs the CRDs. */
  public static ApiServer start(String address, int port, Supplier<String> clusterIpAllocator) {
    MOCK_LOGGER.setLevel(Level.WARNING);
    SandboxDispatcher dispatcher = new SandboxDispatcher(clusterIpAllocator);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(tools.jackson.databind.json.JsonMapper.builder().build()),
            new MockWebServer(),
            new HashMap<>(),
            dispatcher,
            false);
    try {
      server.init(InetAddress.getByName(address), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread drainer = new Thread(() -> drain(server), "api-server-drain");
    drainer.setDaemon(true);
    drainer.start();
    ApiServer api = new ApiServer(server, drainer, "http://" + address + ":" + server.getPort());
    List<CustomResourceDefinition> crds = loadCrds();
    try (KubernetesClient client = api.newClient()) {
      for (CustomResourceDefinition crd : crds) {
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    }
    dispatcher.setDiscovery(new Discovery(crds, address + ":" + server.getPort()));
    log.info("API server listening on {} with {} CRDs", api.url(), crds.size());
    return api;
  }

  /** The generated CRDs shipped in the protocol jar. */
  public static List<CustomResourceDefinition> loadCrds() {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String resource : CRD_RESOURCES) {
      URL url = ApiServer.class.getClassLoader().getResource(resource);
      if (url == null) {
        throw new IllegalStateException(
            "CRD " + resource + " is not on the classpath (build the protocol module)");
      }
      try (InputStream in = url.openStream()) {
        crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return crds;
  }

  private static void drain(KubernetesMockServer server) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        server.takeRequest(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * e.g. {@code http://127.0.0.1:34567}: the value of KUBERNETES_MASTER for the processes the
   * sandbox starts.
   */
  public String url() {
    return url;
  }

  public int port() {
    return server.getPort();
  }

  /**
   * A client bound to this server only (no kubeconfig, no service-account lookup); closed with the
   * server.
   */
  public KubernetesClient newClient() {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withNamespace("default")
            .withHttp2Disable(true)
            .withRequestTimeout(10_000)
            .withConnectionTimeout(5_000)
            .build();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    clients.add(client);
    return client;
  }

  @Override
  public void close() {
    synchronized (clients) {
      clients.forEach(KubernetesClient::close);
      clients.clear();
    }
    drainer.interrupt();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // A client connection still open (e.g. one a partition left hanging) keeps the mock from
      // closing in time; its
      // port goes with this process anyway, and a shutdown must go on to stop the pods.
      org.slf4j.LoggerFactory.getLogger(ApiServer.class)
          .warn("API server did not close cleanly: {}", e.getMessage());
    }
  }
}
