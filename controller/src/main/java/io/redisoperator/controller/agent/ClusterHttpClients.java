package io.redisoperator.controller.agent;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Vert.x event loops the agent calls run on, and one HTTP client per cluster's {@link
 * AgentCredentials} (its TLS configuration) on them. Connections are pooled per pod, at most {@link
 * #CONNECTIONS_PER_POD}, closed after {@link #KEEP_ALIVE} unused (at the next sweep, {@link
 * #POOL_CLEANER_PERIOD}); a cluster's client no call used for {@link #UNUSED_CLIENT} is closed.
 */
final class ClusterHttpClients implements AutoCloseable {
  /**
   * A poll (or a held long-poll), an urgent status beside it, and an operation at once; more calls
   * to one pod wait for a connection (a switchover does not delay the polls that watch the
   * primary).
   */
  static final int CONNECTIONS_PER_POD = 3;

  /**
   * An unused connection is closed after this; longer than the poll interval (so polls reuse it)
   * and than the longest hold the controller asks for ({@code PollSchedule}).
   */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * How often each client's pool looks for connections past {@link #KEEP_ALIVE}: an idle connection
   * is closed between 15 and 25 s after its last call, well within the agent's own idle timeout
   * (180 s). Vert.x's default, every second, was a timer a second per cluster: 1.8 % of the
   * controller's steady CPU at 1000 clusters (docs/performance.md, "Density").
   */
  static final Duration POOL_CLEANER_PERIOD = Duration.ofSeconds(10);

  private static final int EVENT_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());

  /**
   * A cluster's client unused this long is closed (its credentials were renewed, or it is gone).
   */
  static final Duration UNUSED_CLIENT = Duration.ofMinutes(2);

  private final Vertx vertx;
  private final HttpClientOptions clientOptions;
  private final ConcurrentMap<AgentCredentials, ClusterClient> clients = new ConcurrentHashMap<>();
  private final LoopLateness lateness;

  ClusterHttpClients() {
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(EVENT_LOOPS)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                // A controller short of CPU (or collecting) is not a blocked event loop to warn of.
                .setBlockedThreadCheckInterval(TimeUnit.MINUTES.toMillis(10)));
    this.clientOptions =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_1_1)
            .setKeepAlive(true)
            .setKeepAliveTimeout((int) KEEP_ALIVE.toSeconds())
            .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
            .setVerifyHost(false)
            .setSslEngineOptions(AgentTlsEngine.options());
    vertx.setPeriodic(UNUSED_CLIENT.toMillis(), id -> closeUnused());
    this.lateness = new LoopLateness(System.nanoTime());
    // One ticker per event loop: a timer set outside any context gets a context of its own, on the
    // loops in turn.
    long tick = LoopLateness.TICK.toNanos();
    for (int i = 0; i < EVENT_LOOPS; i++) {
      long[] lastRun = {System.nanoTime()};
      vertx.setPeriodic(
          LoopLateness.TICK.toMillis(),
          id -> {
            long now = System.nanoTime();
            lateness.ticked(now - lastRun[0] - tick, now);
            lastRun[0] = now;
          });
    }
  }

  /** How late the event loops run now (see {@link LoopLateness}). */
  Duration lateness() {
    return lateness.current(System.nanoTime());
  }

  /** The event loops' Vert.x (for the calls' timers). */
  Vertx vertx() {
    return vertx;
  }

  /**
   * The HTTP client of one cluster's credentials. Vert.x keeps few TLS contexts per client (64):
   * TLS options given per request thrashed that cache beyond 64 clusters, rebuilding a TLS context
   * (and losing its sessions, so no resumption) for most new connections. One client per cluster
   * keeps its one context and its sessions; the clients share the event loops.
   */
  HttpClientAgent clientFor(AgentCredentials credentials) {
    long now = System.nanoTime();
    // Taken and marked used in one step: the sweep (closeUnused) decides in one step too, so it
    // never closes a client a call has just taken.
    return clients.compute(
            credentials,
            (c, existing) -> {
              ClusterClient client = existing == null ? newClient(c) : existing;
              client.lastUsed = now;
              return client;
            })
        .http;
  }

  private ClusterClient newClient(AgentCredentials credentials) {
    return new ClusterClient(
        vertx
            .httpClientBuilder()
            .with(clientOptions)
            .with(credentials.tls())
            .with(poolOptions())
            // A connection's failure (an agent gone, a reset) reaches the call it carried; Vert.x
            // would otherwise log each one as an error.
            .withConnectHandler(connection -> connection.exceptionHandler(failure -> {}))
            .build());
  }

  private static PoolOptions poolOptions() {
    return new PoolOptions()
        .setHttp1MaxSize(CONNECTIONS_PER_POD)
        .setMaxWaitQueueSize(16)
        .setCleanerPeriod((int) POOL_CLEANER_PERIOD.toMillis());
  }

  /**
   * Closes the clients of credentials no call used for {@link #UNUSED_CLIENT}: renewed or deleted
   * clusters' (their connections have been idle longer than the keep-alive).
   */
  private void closeUnused() {
    long now = System.nanoTime();
    for (AgentCredentials credentials : clients.keySet()) {
      ClusterClient[] unused = {null};
      clients.computeIfPresent(
          credentials,
          (c, client) -> {
            if (now - client.lastUsed > UNUSED_CLIENT.toNanos()) {
              unused[0] = client;
              return null;
            }
            return client;
          });
      if (unused[0] != null) {
        unused[0].http.close();
      }
    }
  }

  /** A cluster's HTTP client and when a call last went through it. */
  private static final class ClusterClient {
    final HttpClientAgent http;
    volatile long lastUsed;

    ClusterClient(HttpClientAgent http) {
      this.http = http;
    }
  }

  /** Closes every connection and the event loops. */
  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Shutting down anyway: the threads are daemons of a closing process or test.
    }
  }
}
