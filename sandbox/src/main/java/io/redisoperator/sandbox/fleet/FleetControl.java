package io.redisoperator.sandbox.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.redisoperator.protocol.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * The benchmark's handle on the fleet, plain HTTP on loopback:
 *
 * <ul>
 *   <li>{@code GET /stats}: pods served, status requests and operations answered, pods seen since
 *       the mark, the pod status writes (first ones, written back, conflicts) and the largest gap
 *       between two Lease renewals of a node;
 *   <li>{@code POST /mark}: starts counting which pods are asked for their status from now on;
 *   <li>{@code GET /pods/<ns>/<name>}: the pod's simulated status;
 *   <li>{@code POST /pods/<ns>/<name>/kill-redis}, {@code .../restart-redis}: its redis-server
 *       dies, or starts again as the boot guard would start it.
 * </ul>
 */
final class FleetControl implements AutoCloseable {
  private final HttpServer server;
  private final Fleet fleet;
  private final LongSupplier leaseGapMaxMillis;

  FleetControl(Fleet fleet, LongSupplier leaseGapMaxMillis, String host, int port)
      throws IOException {
    this.fleet = fleet;
    this.leaseGapMaxMillis = leaseGapMaxMillis;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "fleet-control");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      boolean post = "POST".equals(exchange.getRequestMethod());
      if (path.equals("/stats")) {
        FleetCounters c = fleet.counters();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("pods", fleet.served());
        stats.put("statusRequests", c.statusRequests());
        stats.put("operations", c.operations());
        stats.put("seenSinceMark", c.seenSinceMark());
        stats.put("lastFirstSeenAfterMarkMillis", c.lastFirstSeenAfterMarkMillis());
        stats.put("statusWrites", c.statusWrites());
        stats.put("statusRestores", c.statusRestores());
        stats.put("statusConflicts", c.statusConflicts());
        stats.put("leaseGapMaxMillis", leaseGapMaxMillis.getAsLong());
        reply(exchange, 200, stats);
        return;
      }
      if (post && path.equals("/mark")) {
        fleet.counters().mark();
        reply(exchange, 200, Map.of("marked", true));
        return;
      }
      String[] parts = path.split("/");
      if (parts.length >= 4 && parts[1].equals("pods")) {
        Optional<SimulatedInstance> instance = fleet.instance(parts[2], parts[3]);
        if (instance.isEmpty()) {
          reply(exchange, 404, Map.of("error", "no pod " + parts[2] + "/" + parts[3] + " served"));
          return;
        }
        if (parts.length == 4) {
          reply(exchange, 200, instance.get().status());
          return;
        }
        if (post && parts[4].equals("kill-redis")) {
          instance.get().killRedis();
          instance.get().announceChange();
          reply(exchange, 200, instance.get().status());
          return;
        }
        if (post && parts[4].equals("restart-redis")) {
          fleet.restartRedis(parts[2], parts[3]);
          instance.get().announceChange();
          reply(exchange, 200, instance.get().status());
          return;
        }
      }
      reply(
          exchange,
          404,
          Map.of("error", "no such endpoint: " + exchange.getRequestMethod() + " " + path));
    }
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = Json.mapper().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
