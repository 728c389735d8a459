package io.redisoperator.agent.http;

import io.redisoperator.agent.instance.InstanceActor;
import io.redisoperator.agent.instance.InstanceCommand;
import io.redisoperator.agent.instance.Outcome;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.OperationResult;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The routes' way to the {@link InstanceActor}: an operation asked with a deadline, its {@link
 * Outcome} answered as HTTP (a status in it counts as served to the controller).
 */
final class InstanceGateway {

  /** Builds a request for the instance actor from its deadline and reply address. */
  @FunctionalInterface
  interface RequestFactory {
    InstanceCommand.Request create(long deadlineNanos, ActorRef<Outcome> replyTo);
  }

  private final ActorSystem<?> system;
  private final ActorRef<InstanceCommand> instance;
  private final StatusBoard board;
  private final Duration operationTimeout;

  InstanceGateway(
      ActorSystem<?> system,
      ActorRef<InstanceCommand> instance,
      StatusBoard board,
      Duration operationTimeout) {
    this.system = system;
    this.instance = instance;
    this.board = board;
    this.operationTimeout = operationTimeout;
  }

  Duration operationTimeout() {
    return operationTimeout;
  }

  CompletionStage<HttpResponse> ask(RequestFactory command) {
    return ask(command, operationTimeout);
  }

  /**
   * The actor answers by {@code operationTime} (a timeout answer if need be); the ask waits a
   * little longer so that answer, which says whether anything was executed, is what the caller
   * gets.
   */
  CompletionStage<HttpResponse> ask(RequestFactory command, Duration operationTime) {
    long deadline = System.nanoTime() + operationTime.toNanos();
    Duration timeout = operationTime.plusSeconds(1);
    return AskPattern.<InstanceCommand, Outcome>ask(
            instance, replyTo -> command.create(deadline, replyTo), timeout, system.scheduler())
        .handle(
            (outcome, e) -> {
              if (e == null) {
                if (outcome.body() instanceof OperationResult result && result.status() != null) {
                  board.recordReportServed(result.status());
                }
                return Responses.json(outcome.httpStatus(), outcome.body());
              }
              if (e instanceof TimeoutException || e.getCause() instanceof TimeoutException) {
                return Responses.error(
                    504,
                    AgentError.TIMEOUT,
                    "the operation did not finish within " + timeout.toMillis() + " ms");
              }
              return Responses.error(500, AgentError.INTERNAL, String.valueOf(e.getMessage()));
            });
  }
}
