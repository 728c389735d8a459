package io.redisoperator.agent.http;

import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.metrics.AgentMetrics;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.crd.InstanceRole;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The plain probe port: {@code /healthz} (the agent answers), {@code /readyz} ({@link Readiness} of
 * the last INFO) and {@code /metrics} (Prometheus text).
 */
final class ProbeRoutes extends AllDirectives {
  private final StatusBoard board;
  private final AgentMetrics metrics;
  private final long readyMaxReplicaLagSeconds;

  ProbeRoutes(StatusBoard board, AgentMetrics metrics, long readyMaxReplicaLagSeconds) {
    this.board = board;
    this.metrics = metrics;
    this.readyMaxReplicaLagSeconds = readyMaxReplicaLagSeconds;
  }

  Route route() {
    return concat(
        path("healthz", () -> get(() -> complete(Responses.json(200, Map.of("status", "ok"))))),
        path("readyz", () -> get(() -> complete(readiness()))),
        path("metrics", () -> get(() -> complete(prometheus()))));
  }

  private HttpResponse readiness() {
    RedisInfo info = board.liveInfo();
    return Readiness.notReadyReason(info, readyMaxReplicaLagSeconds, board.aclStatus())
        .map(reason -> Responses.error(503, AgentError.UNAVAILABLE, reason))
        .orElseGet(
            () ->
                Responses.json(
                    200,
                    Map.of(
                        "ready",
                        true,
                        "role",
                        info.role() == InstanceRole.PRIMARY ? "primary" : "replica")));
  }

  private HttpResponse prometheus() {
    return HttpResponse.create()
        .withStatus(200)
        .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape()));
  }
}
