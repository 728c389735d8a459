package io.redisoperator.sandbox.network;

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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener that pipes each accepted connection to one of its targets at that moment (round
 * robin, the next one when a target refuses; the client is reset when none accepts). Used for
 * Service ports (targets: the ready endpoints) and for each pod's own API server endpoint (target:
 * the API server). Counts what it forwards, so tests can see whether a client still gets through.
 */
public final class PortForwarder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortForwarder.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 1000;

  private final String name;
  private final InetSocketAddress listenAddress;
  private final Supplier<List<InetSocketAddress>> targets;
  private final InetAddress sourceAddress;
  private final ExecutorService threads;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger roundRobin = new AtomicInteger();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong bytesFromClients = new AtomicLong();
  private final AtomicLong bytesToClients = new AtomicLong();

  /** What a forwarder has piped so far. */
  public record Traffic(long connections, long bytesFromClients, long bytesToClients) {}

  /**
   * Binds the listener at once (so a taken address fails here); {@link #start()} begins accepting.
   *
   * @param name for log lines
   * @param targets asked on every new connection
   * @param sourceAddress the address upstream connections come from
   * @param threads runs the accept loop and two pipes per connection
   */
  public PortForwarder(
      String name,
      InetSocketAddress listenAddress,
      Supplier<List<InetSocketAddress>> targets,
      InetAddress sourceAddress,
      ExecutorService threads)
      throws IOException {
    this.name = name;
    this.listenAddress = listenAddress;
    this.targets = targets;
    this.sourceAddress = sourceAddress;
    this.threads = threads;
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    try {
      listener.bind(listenAddress, 128);
    } catch (IOException e) {
      listener.close();
      throw e;
    }
  }

  public InetSocketAddress listenAddress() {
    return listenAddress;
  }

  public Traffic traffic() {
    return new Traffic(connections.get(), bytesFromClients.get(), bytesToClients.get());
  }

  public void start() {
    threads.execute(this::acceptLoop);
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        connections.incrementAndGet();
        threads.execute(() -> forward(client));
      } catch (IOException e) {
        if (!listener.isClosed()) {
          log.warn("{} ({}): accept failed: {}", name, listenAddress, e.getMessage());
        }
      }
    }
  }

  private void forward(Socket client) {
    Socket upstream = connectToTarget();
    if (upstream == null) {
      refuse(client);
      return;
    }
    open.add(client);
    open.add(upstream);
    if (listener.isClosed()) {
      // closed while connecting: close() may have missed these two
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    threads.execute(() -> pipe(client, upstream, bytesFromClients));
    pipe(upstream, client, bytesToClients);
  }

  /** Tries the targets in round-robin order; null when none accepts. */
  private Socket connectToTarget() {
    List<InetSocketAddress> candidates = targets.get();
    int start = Math.floorMod(roundRobin.getAndIncrement(), Math.max(1, candidates.size()));
    for (int i = 0; i < candidates.size(); i++) {
      InetSocketAddress target = candidates.get((start + i) % candidates.size());
      Socket socket = new Socket();
      try {
        socket.bind(new InetSocketAddress(sourceAddress, 0));
        socket.setTcpNoDelay(true);
        socket.connect(target, CONNECT_TIMEOUT_MILLIS);
        return socket;
      } catch (IOException e) {
        closeQuietly(socket);
      }
    }
    return null;
  }

  private void pipe(Socket from, Socket to, AtomicLong counter) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
        counter.addAndGet(n);
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

  /** Stops listening and closes every forwarded connection. */
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
