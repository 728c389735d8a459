package io.redisoperator.agent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisoperator.protocol.agent.AgentError;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OutcomeTest {
  @Test
  void anOperationPastItsDeadlineIsATimeout() {
    Outcome direct = Outcome.failed(new TimeoutException());
    assertEquals(504, direct.httpStatus());
    Outcome wrapped = Outcome.failed(new CompletionException(new TimeoutException("INFO")));
    assertEquals(504, wrapped.httpStatus());
    assertEquals("operation did not finish in time: INFO", ((AgentError) wrapped.body()).message());
  }

  @Test
  void anyOtherFailureIsUnavailableWithItsRootCause() {
    Outcome outcome =
        Outcome.failed(
            new CompletionException(
                new IllegalStateException("wrapped", new RuntimeException("LOADING"))));
    assertEquals(503, outcome.httpStatus());
    assertEquals("LOADING", ((AgentError) outcome.body()).message());
  }
}
