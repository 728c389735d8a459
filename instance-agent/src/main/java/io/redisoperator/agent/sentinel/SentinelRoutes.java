package io.redisoperator.agent.sentinel;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A sentinel pod's HTTP port: /healthz (redis-sentinel is running), /readyz (it answered recently
 * and monitors the recorded primary) and /metrics. Everything is served from the boards; nothing
 * here calls Sentinel.
 */
public final class SentinelRoutes extends AllDirectives {
  /**
   * Two follow passes may fail in a row (e.g. a slow API read) before the pod stops being ready.
   */
  private final long answerMaxAgeMillis;

  private final StatusBoard process;
  private final SentinelBoard board;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public SentinelRoutes(
      StatusBoard process, SentinelBoard board, long answerMaxAgeMillis, Tags tags) {
    this.process = process;
    this.board = board;
    this.answerMaxAgeMillis = answerMaxAgeMillis;
    registry.config().commonTags(tags);
    Gauge.builder("redis_operator_sentinel_up", board, b -> b.answering(answerMaxAgeMillis) ? 1 : 0)
        .description("1 when redis-sentinel answered recently")
        .register(registry);
    Gauge.builder(
            "redis_operator_sentinel_monitors_current_primary",
            board,
            b -> b.monitorsRecordedPrimary(answerMaxAgeMillis) ? 1 : 0)
        .description("1 when Sentinel monitors the primary recorded in the RedisCluster status")
        .register(registry);
    FunctionCounter.builder("redis_operator_sentinel_repoints", board, SentinelBoard::repoints)
        .description("times the agent re-pointed Sentinel at a new primary")
        .register(registry);
    FunctionCounter.builder(
            "redis_operator_sentinel_stale_resets", board, SentinelBoard::staleResets)
        .description("SENTINEL RESETs issued to forget replicas or sentinels whose pods are gone")
        .register(registry);
    Gauge.builder("redis_operator_sentinel_stale_entries", board, SentinelBoard::staleEntries)
        .description("remembered replicas or sentinels whose pods are gone, at the last check")
        .register(registry);
    FunctionCounter.builder(
            "redis_operator_sentinel_auth_updates", board, SentinelBoard::authUpdates)
        .description("live auth-pass updates after a password rotation")
        .register(registry);
    FunctionCounter.builder("redis_operator_sentinel_restarts", process, StatusBoard::restartCount)
        .description("redis-sentinel restarts by the agent")
        .register(registry);
  }

  public Route routes() {
    return handleRejections(
        RejectionHandler.newBuilder()
            .handleNotFound(complete(error(404, AgentError.NOT_FOUND, "no such endpoint")))
            .build()
            .withFallback(RejectionHandler.defaultHandler()),
        () ->
            concat(
                path("healthz", () -> get(() -> complete(health()))),
                path("readyz", () -> get(() -> complete(readiness()))),
                path("metrics", () -> get(() -> complete(metrics())))));
  }

  private HttpResponse health() {
    return process.redisRunning()
        ? json(200, Map.of("status", "ok"))
        : error(503, AgentError.UNAVAILABLE, "redis-sentinel is not running");
  }

  private HttpResponse readiness() {
    if (!board.answering(answerMaxAgeMillis)) {
      return error(503, AgentError.UNAVAILABLE, "Sentinel is not answering");
    }
    if (!board.monitorsRecordedPrimary(answerMaxAgeMillis)) {
      return error(
          503,
          AgentError.UNAVAILABLE,
          "Sentinel monitors "
              + board.monitored()
              + ", the recorded primary is at "
              + board.recorded());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ready", true);
    body.put("primary", board.monitored().toString());
    return json(200, body);
  }

  private HttpResponse metrics() {
    return HttpResponse.create()
        .withStatus(200)
        .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, scrape()));
  }

  /** The Prometheus text of the sentinel pod's series. */
  public String scrape() {
    return registry.scrape();
  }

  private static HttpResponse error(int status, String code, String message) {
    return json(status, new AgentError(code, message));
  }

  private static HttpResponse json(int status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(
              HttpEntities.create(
                  ContentTypes.APPLICATION_JSON, Json.mapper().writeValueAsBytes(body)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
