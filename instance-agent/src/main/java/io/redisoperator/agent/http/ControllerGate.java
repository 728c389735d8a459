package io.redisoperator.agent.http;

import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The API port's door. Only the controller completes the handshake there (its client certificate,
 * {@link AgentServerTls}), so every request that reaches it is contact with the controller, which
 * self-fencing counts; an operation (anything but a GET) from a controller with a lower lease epoch
 * than one already seen is refused with 409.
 */
final class ControllerGate extends AllDirectives {
  private final StatusBoard board;
  private final LeaderEpochs epochs = new LeaderEpochs();

  ControllerGate(StatusBoard board) {
    this.board = board;
  }

  Route admit(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          board.recordControllerContact();
          return fromCurrentLeader(inner);
        });
  }

  private Route fromCurrentLeader(Supplier<Route> inner) {
    return extractMethod(
        method ->
            optionalHeaderValueByName(
                AgentApi.LEADER_EPOCH_HEADER,
                epoch ->
                    epochs
                        .refusal(epoch, !"GET".equals(method.value()))
                        .map(reason -> complete(Responses.error(409, AgentError.CONFLICT, reason)))
                        .orElseGet(inner)));
  }
}
