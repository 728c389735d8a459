package io.redisoperator.agent.http;

import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.StatusVolatiles;
import io.redisoperator.protocol.agent.StatusWaiters;
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
 */
final class StatusRoute extends AllDirectives {
  private final StatusBoard board;

  StatusRoute(StatusBoard board) {
    this.board = board;
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
                              board
                                  .waiters()
                                  .await(since.orElse(null), waitMillis)
                                  .thenApply(answer -> answer(answer, known.orElse(null)))));
                }));
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
