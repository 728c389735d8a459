package io.redisoperator.agent.http;

import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/status}, at once or held while {@code since} is the current version ({@link
 * AgentApi#PATH_STATUS}'s long-poll); the version goes with every answer. The status is served from
 * the {@link StatusBoard}'s memory, and the board notes what the controller was told.
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
                  return completeWithFuture(
                      board
                          .waiters()
                          .await(since.orElse(null), waitMillis)
                          .thenApply(
                              answer -> {
                                board.recordReportServed(answer.status());
                                return Responses.json(200, answer.status())
                                    .addHeader(
                                        RawHeader.create(
                                            AgentApi.STATUS_VERSION_HEADER, answer.version()));
                              }));
                }));
  }
}
