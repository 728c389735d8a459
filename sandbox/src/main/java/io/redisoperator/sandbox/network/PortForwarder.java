package io.redisoperator.sandbox.network;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Service port: accepts on clusterIP:port and pipes each connection to a ready endpoint. */
final class PortForwarder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortForwarder.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 1000;

  private final String clusterIp;
  private final ServiceProxy proxy;
  private final InetAddress nodeAddress;
  private final ExecutorService threads;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger roundRobin = new AtomicInteger();
  private volatile Service service;
  private volatile ServicePort port;

  PortForwarder(
      String clusterIp, Service service, ServicePort port, ServiceProxy proxy, InetAddress nodeAddress,
      ExecutorService threads) throws IOException {
    this.clusterIp = clusterIp;
    this.service = service;
    this.port = port;
    this.proxy = proxy;
    this.nodeAddress = nodeAddress;
    this.threads = threads;
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(clusterIp, port.getPort()), 128);
  }

  String clusterIp() {
    return clusterIp;
  }

  void update(Service service, ServicePort port) {
    this.service = service;
    this.port = port;
  }

  void start() {
    threads.execute(this::acceptLoop);
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        threads.execute(() -> forward(client));
      } catch (IOException e) {
        if (!listener.isClosed()) {
          log.warn("service {} port {}: accept failed: {}", service.getMetadata().getName(), port.getPort(),
              e.getMessage());
        }
      }
    }
  }

  private void forward(Socket client) {
    Socket backend = connectToEndpoint();
    if (backend == null) {
      refuse(client);
      return;
    }
    open.add(client);
    open.add(backend);
    threads.execute(() -> pipe(client, backend));
    pipe(backend, client);
  }

  /** Tries the ready endpoints in round-robin order; null when none accepts. */
  private Socket connectToEndpoint() {
    List<InetSocketAddress> endpoints = proxy.endpoints(service, port);
    int start = Math.floorMod(roundRobin.getAndIncrement(), Math.max(1, endpoints.size()));
    for (int i = 0; i < endpoints.size(); i++) {
      InetSocketAddress target = endpoints.get((start + i) % endpoints.size());
      Socket socket = new Socket();
      try {
        // From the node address, as kube-proxy's SNAT would: partitions on pod addresses don't cut clients off.
        socket.bind(new InetSocketAddress(nodeAddress, 0));
        socket.setTcpNoDelay(true);
        socket.connect(target, CONNECT_TIMEOUT_MILLIS);
        return socket;
      } catch (IOException e) {
        closeQuietly(socket);
      }
    }
    return null;
  }

  private void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed or reset: close both
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void refuse(Socket client) {
    try {
      client.setSoLinger(true, 0);
    } catch (IOException e) {
      // closing anyway
    }
    closeQuietly(client);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
    open.forEach(PortForwarder::closeQuietly);
    open.clear();
  }
}
