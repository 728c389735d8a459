package io.redisoperator.sandbox.network;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.sandbox.api.Informers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's kube-proxy: every Service with a cluster IP (allocated by the API server) gets a
 * TCP listener per port on that loopback address. Each new connection goes to one of the Service's
 * ready endpoints at that moment, so a label or readiness change redirects new connections while
 * established ones stay where they are (as with conntrack). With no ready endpoint the connection
 * is refused.
 */
public final class ServiceProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceProxy.class);

  private final SharedIndexInformer<Pod> pods;
  private final InetAddress nodeAddress;
  private final ExecutorService threads = Executors.newCachedThreadPool(daemonThreads());
  private final Map<String, Map<Integer, Route>> forwarders = new HashMap<>();

  /**
   * One Service port's listener; the Service and port it routes for change with updates of the
   * object.
   */
  private final class Route {
    private final String clusterIp;
    private final PortForwarder forwarder;
    private volatile Service service;
    private volatile ServicePort port;

    Route(String clusterIp, Service service, ServicePort port) throws IOException {
      this.clusterIp = clusterIp;
      this.service = service;
      this.port = port;
      // Upstream from the node address, as kube-proxy's SNAT would: partitions on pod addresses
      // don't cut clients off.
      this.forwarder =
          new PortForwarder(
              "service " + key(service) + " port " + port.getPort(),
              new InetSocketAddress(clusterIp, port.getPort()),
              () -> endpoints(this.service, this.port),
              nodeAddress,
              threads);
    }

    void update(Service service, ServicePort port) {
      this.service = service;
      this.port = port;
    }
  }

  public ServiceProxy(
      SharedIndexInformer<Service> services, SharedIndexInformer<Pod> pods, String nodeAddress) {
    this.pods = pods;
    try {
      this.nodeAddress = InetAddress.getByName(nodeAddress);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
    services.addEventHandler(Informers.handler(this::sync, s -> remove(key(s))));
  }

  /**
   * The ready endpoints of a Service port right now (also used by tests and scenarios to wait for
   * routing).
   */
  public List<InetSocketAddress> endpoints(Service service, ServicePort port) {
    return Endpoints.ready(service, port, pods.getStore().list());
  }

  private synchronized void sync(Service service) {
    String key = key(service);
    String clusterIp = service.getSpec().getClusterIP();
    if (clusterIp == null || clusterIp.isEmpty() || "None".equals(clusterIp)) {
      remove(key);
      return;
    }
    Map<Integer, Route> current = forwarders.computeIfAbsent(key, k -> new HashMap<>());
    Set<Integer> wanted = new HashSet<>();
    for (ServicePort port : service.getSpec().getPorts()) {
      wanted.add(port.getPort());
      Route existing = current.get(port.getPort());
      if (existing != null && existing.clusterIp.equals(clusterIp)) {
        existing.update(service, port);
        continue;
      }
      if (existing != null) {
        existing.forwarder.close();
        current.remove(port.getPort());
      }
      try {
        Route route = new Route(clusterIp, service, port);
        current.put(port.getPort(), route);
        route.forwarder.start();
      } catch (IOException e) {
        log.warn(
            "service {} port {}: cannot listen on {}: {}",
            key,
            port.getPort(),
            clusterIp,
            e.getMessage());
      }
    }
    current
        .keySet()
        .removeIf(
            p -> {
              if (!wanted.contains(p)) {
                current.get(p).forwarder.close();
                return true;
              }
              return false;
            });
  }

  private synchronized void remove(String key) {
    Map<Integer, Route> removed = forwarders.remove(key);
    if (removed != null) {
      removed.values().forEach(r -> r.forwarder.close());
    }
  }

  private static String key(Service s) {
    return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
  }

  @Override
  public synchronized void close() {
    forwarders.values().forEach(m -> m.values().forEach(r -> r.forwarder.close()));
    forwarders.clear();
    threads.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return r -> {
      Thread t = new Thread(r, "service-proxy");
      t.setDaemon(true);
      return t;
    };
  }
}
