package io.redisoperator.agent.http;

import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.StatusVolatiles;
import io.redisoperator.protocol.agent.StatusWaiters;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/status}, at once or held while {@code since} is the current version ({@link
 * AgentApi#PATH_STATUS}'s long-poll); the version goes with every answer. The status is served from
 * the {@link StatusBoard}'s memory, and the board notes what the controller was told. A caller that
 * names the version it has ({@code If-None-Match}) gets {@code 304} while it is current.
 *
 * <p>A request without {@code since} wants the status now: the board is refreshed from INFO first
 * ({@link #FRESH_INFO_WAIT_MILLIS} at most, then it answers from memory), because the board is up
 * to an INFO round old. Redis may have changed role on its own in that time: a switchover target is
 * promoted by the old primary's {@code FAILOVER}, not by its agent, and the controller's poll right
 * after the handoff was answered "replica" while the held long-poll brought "primary" a round later
 * (docs/failover.md, "Recording and routing"). A held request answers from memory: it is woken by
 * the refreshes themselves.
 */
final class StatusRoute extends AllDirectives {
  /**
   * How long an answer waits for its fresh INFO before it falls back to the board: far below the
   * controller's overdue bound for a primary's poll (250 ms), so a Redis that does not answer
   * delays the report of it by this much at most (the board then says so as before).
   */
  static final long FRESH_INFO_WAIT_MILLIS = 50;

  private final StatusBoard board;
  private final Supplier<CompletionStage<Void>> refreshInfo;

  /**
   * @param refreshInfo reads INFO onto the board now (or joins the read in flight); completes when
   *     it is there, never exceptionally
   */
  StatusRoute(StatusBoard board, Supplier<CompletionStage<Void>> refreshInfo) {
    this.board = board;
    this.refreshInfo = refreshInfo;
  }

  Route route() {
    return parameterOptional(
        AgentApi.STATUS_SINCE_PARAM,
        since ->
            parameterOptional(
                AgentApi.STATUS_WAIT_PARAM,
                wait -> {
                  long waitMillis;
                  try {
                    waitMillis = wait.map(Long::parseLong).orElse(0L);
                  } catch (NumberFormatException e) {
                    return complete(
                        Responses.error(
                            400,
                            AgentError.BAD_REQUEST,
                            AgentApi.STATUS_WAIT_PARAM + " must be a number of milliseconds"));
                  }
                  if (waitMillis < 0) {
                    return complete(
                        Responses.error(
                            400,
                            AgentError.BAD_REQUEST,
                            AgentApi.STATUS_WAIT_PARAM + " must not be negative"));
                  }
                  return optionalHeaderValueByName(
                      AgentApi.IF_NONE_MATCH_HEADER,
                      known ->
                          completeWithFuture(
                              asOf(since.orElse(null))
                                  .thenCompose(
                                      x -> board.waiters().await(since.orElse(null), waitMillis))
                                  .thenApply(answer -> answer(answer, known.orElse(null)))));
                }));
  }

  /** Done when the board describes Redis as of this request, as far as it can within the wait. */
  private CompletionStage<Void> asOf(String since) {
    if (since != null) {
      return CompletableFuture.completedFuture(null);
    }
    return refreshInfo
        .get()
        .toCompletableFuture()
        // A copy: the timeout completes this answer's wait, not the shared read.
        .copy()
        .completeOnTimeout(null, FRESH_INFO_WAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * The status in full, or {@code 304} with its moving fields when the caller already has this
   * version ({@link AgentApi#IF_NONE_MATCH_HEADER}): either way the controller was told it.
   */
  private HttpResponse answer(StatusWaiters.Versioned answer, String ifNoneMatch) {
    board.recordReportServed(answer.status());
    RawHeader version = RawHeader.create(AgentApi.STATUS_VERSION_HEADER, answer.version());
    RawHeader tag = RawHeader.create(AgentApi.ETAG_HEADER, AgentApi.entityTag(answer.version()));
    if (AgentApi.matchesEntityTag(ifNoneMatch, answer.version())) {
      return HttpResponse.create()
          .withStatus(StatusCodes.NOT_MODIFIED)
          .addHeader(version)
          .addHeader(tag)
          .addHeader(
              RawHeader.create(
                  AgentApi.STATUS_VOLATILES_HEADER, StatusVolatiles.of(answer.status()).header()));
    }
    return Responses.json(200, answer.status()).addHeader(version).addHeader(tag);
  }
}
