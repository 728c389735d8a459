package io.redisoperator.agent.http;

import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.json.Json;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** The agent's answers: a JSON body, or an {@link AgentError} for anything refused or failed. */
final class Responses {
  private Responses() {}

  static HttpResponse json(int status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(StatusCodes.get(status))
          .withEntity(
              HttpEntities.create(
                  ContentTypes.APPLICATION_JSON, Json.mapper().writeValueAsBytes(body)));
    } catch (Exception e) {
      throw new IllegalStateException("cannot serialize " + body.getClass().getSimpleName(), e);
    }
  }

  static HttpResponse error(int status, String code, String message) {
    return json(status, new AgentError(code, message));
  }

  static HttpResponse refused(ReplicationSources.Refusal refusal) {
    return error(refusal.httpStatus(), refusal.code(), refusal.message());
  }
}
