package io.redisoperator.controller.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An instance agent without Redis: serves the agent HTTP contract on {@code <ip>:8000} from
 * in-memory replication state that tests set directly. Replicate/promote/fence change that state
 * the way a real agent would.
 */
public final class FakeAgent implements AutoCloseable {
  private final String podName;
  private final String ip;
  private final SSLContext tls;
  private final FakeFleet fleet;
  private final HttpServer server;
  public final List<String> calls = new CopyOnWriteArrayList<>();

  public volatile InstanceRole role;
  public volatile boolean redisUp = true;
  public volatile String replId = UUID.randomUUID().toString().replace("-", "");
  public volatile long offset = 1000;
  public volatile String masterHost;
  public volatile boolean linkUp;
  public volatile boolean fenced;

  /** Status answers are delayed this long (simulates a hung agent behind a partition). */
  public volatile long statusDelayMillis;

  /**
   * Cut off from everyone: status polls hang and replicas lose their link to it (Redis itself keeps
   * running).
   */
  public volatile boolean partitioned;

  /** Promote answers 409 (a guard failed) while set. */
  public volatile boolean refusePromote;

  /** Switchover answers 504 (the target did not catch up; writes resumed here) while set. */
  public volatile boolean failSwitchover;

  /**
   * Redis runs but does not answer its agent (a long command): status says Redis down, process
   * running, and a fence cannot be applied (503) until it is cleared.
   */
  public volatile boolean redisBusy;

  /** Redis' process exited (the agent saw it): status says so; a fence only writes its marker. */
  public volatile boolean redisProcessDead;

  /** The body of the last promote request. */
  public volatile PromoteRequest lastPromote;

  /** System.nanoTime when the last promote request arrived; 0 before one. */
  public volatile long lastPromoteAtNanos;

  /**
   * System.nanoTime when a fence was last applied; kept after an unfence, so a test can order it
   * against another pod's promotion however soon the controller lifts it.
   */
  public volatile long lastFencedAtNanos;

  FakeAgent(
      String podName,
      String ip,
      SSLContext tls,
      FakeFleet fleet,
      InstanceRole role,
      String masterHost)
      throws IOException {
    this.podName = podName;
    this.ip = ip;
    this.tls = tls;
    this.fleet = fleet;
    this.role = role;
    this.masterHost = masterHost;
    this.linkUp = masterHost != null;
    if (masterHost != null) {
      FakeAgent primary = fleet.byIp(masterHost);
      if (primary != null) {
        replId = primary.replId;
        offset = primary.offset;
      }
    }
    // Like the real agent: HTTPS with the pod's certificate, only the controller's client
    // certificate admitted.
    HttpsServer https = HttpsServer.create(new InetSocketAddress(ip, AgentApi.PORT), 16);
    https.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setNeedClientAuth(true);
            params.setSSLParameters(p);
          }
        });
    server = https;
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "fake-agent-" + podName);
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  public String podName() {
    return podName;
  }

  public String ip() {
    return ip;
  }

  public InstanceStatus status() {
    boolean replica = role == InstanceRole.REPLICA;
    // Like Redis, a replica loses its link when its primary's process is gone or cut off.
    FakeAgent primary = replica ? fleet.byIp(masterHost) : null;
    boolean link =
        replica
            && linkUp
            && primary != null
            && !primary.partitioned
            && primary.redisUp
            && !primary.redisBusy
            && !primary.redisProcessDead;
    boolean up = redisUp && !redisBusy && !redisProcessDead;
    return InstanceStatus.builder(podName)
        .role(role)
        .redisUp(up)
        .redisVersion("7.2.4")
        .masterReplId(up ? replId : null)
        .replicationOffset(up ? offset : null)
        .masterHost(replica ? masterHost : null)
        .masterPort(replica ? AgentApi.REDIS_PORT : null)
        .masterLinkUp(replica ? link : null)
        .masterLastIoSecondsAgo(replica ? (link ? 0L : 100L) : -1L)
        .connectedReplicas(List.of())
        .fenced(fenced && !redisProcessDead)
        .configHash("hash")
        .secretVersions(Map.of())
        .agentUptimeSeconds(10)
        .redisProcessRunning(!redisProcessDead)
        .build();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      calls.add(exchange.getRequestMethod() + " " + path);
      fleet.journal.add(podName + " " + exchange.getRequestMethod() + " " + path);
      switch (path) {
        case AgentApi.PATH_STATUS -> {
          if (statusDelayMillis > 0) {
            sleep(statusDelayMillis);
          }
          while (partitioned && !Thread.currentThread().isInterrupted()) {
            sleep(50);
          }
          send(exchange, 200, status());
        }
        case AgentApi.PATH_REPLICATE -> {
          ReplicateRequest r = read(exchange.getRequestBody(), ReplicateRequest.class);
          FakeAgent primary = fleet.byIp(r.host());
          if (r.primaryPod() == null
              || primary == null
              || !r.primaryPod().equals(primary.podName)) {
            // As the real agent: only the named pod of the cluster, at its own address, is a
            // source.
            send(
                exchange,
                400,
                new AgentError(AgentError.BAD_REQUEST, r.host() + " is not pod " + r.primaryPod()));
            return;
          }
          synchronized (this) {
            role = InstanceRole.REPLICA;
            masterHost = r.host();
            linkUp = primary != null;
            if (primary != null) {
              replId = primary.replId;
              offset = primary.offset;
            }
          }
          send(exchange, 200, new OperationResult("replicating", status()));
        }
        case AgentApi.PATH_PROMOTE -> {
          PromoteRequest r = read(exchange.getRequestBody(), PromoteRequest.class);
          lastPromoteAtNanos = System.nanoTime();
          lastPromote = r;
          if (r.expectedReplId() == null || r.minOffset() == null || r.timeoutMillis() == null) {
            send(
                exchange,
                400,
                new AgentError(AgentError.BAD_REQUEST, "a promotion is never unguarded"));
            return;
          }
          if (refusePromote
              || (r.expectedReplId() != null && !r.expectedReplId().equals(replId))
              || (r.minOffset() != null && offset < r.minOffset())) {
            send(exchange, 409, new AgentError(AgentError.CONFLICT, "guard failed"));
            return;
          }
          synchronized (this) {
            role = InstanceRole.PRIMARY;
            masterHost = null;
            linkUp = false;
            replId = UUID.randomUUID().toString().replace("-", "");
          }
          send(exchange, 200, new OperationResult("promoted", status()));
        }
        case AgentApi.PATH_FENCE -> {
          if ("DELETE".equals(exchange.getRequestMethod())) {
            fenced = false;
            send(exchange, 200, new OperationResult("unfenced", status()));
          } else {
            read(exchange.getRequestBody(), FenceRequest.class);
            if (redisBusy) {
              send(
                  exchange,
                  503,
                  new AgentError(
                      AgentError.UNAVAILABLE, "fence recorded but Redis did not confirm it"));
              return;
            }
            fenced = true;
            lastFencedAtNanos = System.nanoTime();
            send(exchange, 200, new OperationResult("fenced", status()));
          }
        }
        case AgentApi.PATH_SWITCHOVER -> {
          SwitchoverRequest r = read(exchange.getRequestBody(), SwitchoverRequest.class);
          if (failSwitchover) {
            send(
                exchange,
                504,
                new AgentError(
                    AgentError.TIMEOUT, "target " + r.targetHost() + " did not catch up"));
            return;
          }
          FakeAgent target = fleet.byIp(r.targetHost());
          if (target == null) {
            send(exchange, 409, new AgentError(AgentError.CONFLICT, "unknown target"));
            return;
          }
          synchronized (this) {
            target.role = InstanceRole.PRIMARY;
            target.masterHost = null;
            target.offset = offset;
            role = InstanceRole.REPLICA;
            masterHost = target.ip;
            linkUp = true;
          }
          send(exchange, 200, new SwitchoverResult(target.ip, AgentApi.REDIS_PORT, offset));
        }
        default -> send(exchange, 404, new AgentError(AgentError.NOT_FOUND, path));
      }
    } catch (RuntimeException e) {
      // The exchange is closed; the client sees a broken answer.
    }
  }

  /** How many status polls this agent has answered or is answering. */
  public long statusPolls() {
    return calls.stream().filter(c -> c.endsWith(AgentApi.PATH_STATUS)).count();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T read(InputStream in, Class<T> type) throws IOException {
    return Json.mapper().readValue(in.readAllBytes(), type);
  }

  private static void send(HttpExchange exchange, int code, Object body) throws IOException {
    byte[] bytes = Json.mapper().writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
