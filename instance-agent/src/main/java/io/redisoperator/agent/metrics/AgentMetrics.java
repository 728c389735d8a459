package io.redisoperator.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.redisoperator.agent.instance.StatusBoard;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * A data pod's Prometheus metrics: Redis' own numbers named like the Redis exporter's ({@link
 * RedisSeries}, read from the cached INFO at scrape time, never a Redis call) and the agent's own
 * series under {@code redis_operator_agent_}. Every series carries the pod's namespace, cluster and
 * pod labels.
 */
public final class AgentMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RedisSeries redis;

  public AgentMetrics(StatusBoard board, String namespace, String cluster, String pod) {
    registry.config().commonTags(Tags.of("namespace", namespace, "cluster", cluster, "pod", pod));
    redis = new RedisSeries(registry, board::liveInfo);
    Labels podLabels = Labels.of("cluster", cluster, "namespace", namespace, "pod", pod);
    registry.getPrometheusRegistry().register(() -> redis.instanceInfo(podLabels));
    gauge(
        board,
        "redis_operator_agent_fenced",
        "1 when the instance refuses writes (fenced, self-fenced or held at boot) and Redis applied it",
        b -> b.fenceRecorded() && b.writesRefusedByRedis() ? 1 : 0);
    gauge(
        board,
        "redis_operator_agent_fence_recorded",
        "1 when the agent wants Redis to refuse writes, applied or not yet",
        b -> b.fenceRecorded() ? 1 : 0);
    gauge(
        board,
        "redis_operator_agent_self_fenced",
        "1 when the agent fenced itself for isolation",
        b -> b.view().selfFenced() ? 1 : 0);
    FunctionCounter.builder("redis_operator_agent_redis_restarts", board, StatusBoard::restartCount)
        .description("redis-server restarts by the agent")
        .register(registry);
  }

  public void recordRequest(String method, String path, int status, Duration duration) {
    Timer.builder("redis_operator_agent_http_requests")
        .description("Agent HTTP requests by method, path and status")
        .tags("method", method, "path", path, "status", Integer.toString(status))
        .register(registry)
        .record(duration);
  }

  public String scrape() {
    redis.refresh();
    return registry.scrape();
  }

  private void gauge(
      StatusBoard board, String name, String description, ToDoubleFunction<StatusBoard> f) {
    Gauge.builder(name, board, f).description(description).register(registry);
  }
}
