package io.redisoperator.e2e.k3s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.PortForward;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback address standing in for a cluster address the test JVM cannot route to. Each NEW
 * connection asks where to go now and opens its own API-server port-forward to that pod, so, as
 * with kube-proxy, connections opened after a failover reach the new primary while open ones stay
 * where they were until either side closes.
 */
final class PortForwardProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortForwardProxy.class);

  /** Where one connection goes. */
  record Target(String namespace, String pod, int port) {}

  private final KubernetesClient client;
  private final String description;
  private final Supplier<Optional<Target>> resolve;
  private final ServerSocketChannel server;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();

  private PortForwardProxy(
      KubernetesClient client,
      String description,
      Supplier<Optional<Target>> resolve,
      ServerSocketChannel server) {
    this.client = client;
    this.description = description;
    this.resolve = resolve;
    this.server = server;
  }

  /**
   * @param resolve asked once per new connection; empty means no endpoint now (the connection is
   *     reset).
   */
  static PortForwardProxy start(
      KubernetesClient client, String description, Supplier<Optional<Target>> resolve) {
    try {
      ServerSocketChannel server =
          ServerSocketChannel.open()
              .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      PortForwardProxy proxy = new PortForwardProxy(client, description, resolve, server);
      Thread acceptor = new Thread(proxy::acceptLoop, "port-forward " + description);
      acceptor.setDaemon(true);
      acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for " + description, e);
    }
  }

  InetSocketAddress address() {
    try {
      return (InetSocketAddress) server.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel socket;
      try {
        socket = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("{}: accept failed: {}", description, e.toString());
        continue;
      }
      forward(socket);
    }
  }

  private void forward(SocketChannel socket) {
    Optional<Target> target;
    try {
      target = resolve.get();
    } catch (RuntimeException e) {
      log.warn("{}: cannot resolve an endpoint: {}", description, e.toString());
      target = Optional.empty();
    }
    if (target.isEmpty()) {
      reset(socket);
      return;
    }
    Target t = target.get();
    Connection connection = new Connection(socket);
    open.add(connection);
    try {
      connection.attach(
          client
              .pods()
              .inNamespace(t.namespace())
              .withName(t.pod())
              .portForward(t.port(), connection, socket));
    } catch (RuntimeException e) {
      log.warn(
          "{}: port-forward to {}/{}:{} failed: {}",
          description,
          t.namespace(),
          t.pod(),
          t.port(),
          e.toString());
      connection.end();
    }
  }

  /**
   * Like a Service without endpoints: the client sees the connection refused rather than hanging.
   */
  private static void reset(SocketChannel socket) {
    try {
      socket.setOption(StandardSocketOptions.SO_LINGER, 0);
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      log.warn("{}: close failed: {}", description, e.toString());
    }
    open.forEach(Connection::end);
  }

  /**
   * One client connection: the client-to-pod side as fabric8 reads it. fabric8 stops reading at the
   * client's end of stream but keeps the port-forward open; this closes it then, and closes the
   * client socket when fabric8 closes this channel because the pod side ended.
   */
  private final class Connection implements ReadableByteChannel {
    private final SocketChannel socket;
    private PortForward forward;
    private boolean ended;

    Connection(SocketChannel socket) {
      this.socket = socket;
    }

    synchronized void attach(PortForward forward) {
      this.forward = forward;
      if (ended) {
        closeForward();
      }
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
      int read = socket.read(buffer);
      if (read < 0) {
        end();
      }
      return read;
    }

    @Override
    public boolean isOpen() {
      return socket.isOpen();
    }

    @Override
    public void close() {
      end();
    }

    synchronized void end() {
      ended = true;
      open.remove(this);
      closeForward();
      try {
        socket.close();
      } catch (IOException e) {
        // already closed by the other side
      }
    }

    private void closeForward() {
      if (forward != null) {
        try {
          forward.close();
        } catch (IOException e) {
          log.debug("{}: closing a port-forward: {}", description, e.toString());
        }
      }
    }
  }
}
