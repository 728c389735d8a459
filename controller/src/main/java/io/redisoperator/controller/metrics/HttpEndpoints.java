package io.redisoperator.controller.metrics;

import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /metrics} (Prometheus text), {@code /healthz} (the process runs) and {@code /readyz}
 * (caches synced).
 */
public final class HttpEndpoints extends AllDirectives {
  private final OperatorMetrics metrics;
  private final BooleanSupplier ready;

  public HttpEndpoints(OperatorMetrics metrics, BooleanSupplier ready) {
    this.metrics = metrics;
    this.ready = ready;
  }

  public Route routes() {
    return concat(
        path(
            "metrics",
            () ->
                get(
                    () ->
                        complete(
                            HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape())))),
        path("healthz", () -> get(() -> complete("ok"))),
        path(
            "readyz",
            () ->
                get(
                    () ->
                        ready.getAsBoolean()
                            ? complete("ok")
                            : complete(StatusCodes.SERVICE_UNAVAILABLE, "informers not synced"))));
  }

  public CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port) {
    return Http.get(system).newServerAt(host, port).bind(routes());
  }
}
