package io.redisoperator.sandbox.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The benchmark's blocking client of the agent HTTP contract. Failures are classified like the controller's poller
 * does: a refused connection (nothing listens) is not a timeout (maybe alive behind a partition).
 */
final class AgentHttp {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).version(HttpClient.Version.HTTP_1_1).build();
  private final String token;

  AgentHttp(String token) {
    this.token = token;
  }

  /** An answer, or why there was none. */
  record Answer<T>(T value, PollFailure failure, String error) {
    boolean ok() {
      return value != null;
    }
  }

  Answer<InstanceStatus> status(String ip, Duration timeout) {
    return call(ip, "GET", AgentApi.PATH_STATUS, null, timeout, InstanceStatus.class);
  }

  Answer<OperationResult> promote(String ip, PromoteRequest request) {
    return call(ip, "POST", AgentApi.PATH_PROMOTE, request, Duration.ofSeconds(5), OperationResult.class);
  }

  Answer<OperationResult> replicate(String ip, ReplicateRequest request) {
    return call(ip, "POST", AgentApi.PATH_REPLICATE, request, Duration.ofSeconds(5), OperationResult.class);
  }

  Answer<OperationResult> fence(String ip, String reason) {
    return call(ip, "POST", AgentApi.PATH_FENCE, new FenceRequest(reason), Duration.ofMillis(800), OperationResult.class);
  }

  Answer<OperationResult> unfence(String ip) {
    return call(ip, "DELETE", AgentApi.PATH_FENCE, null, Duration.ofSeconds(5), OperationResult.class);
  }

  Answer<String> switchover(String ip, SwitchoverRequest request) {
    return call(ip, "POST", AgentApi.PATH_SWITCHOVER, request,
        Duration.ofMillis(request.timeoutMillis() + 5000), String.class);
  }

  private <T> Answer<T> call(String ip, String method, String path, Object body, Duration timeout, Class<T> type) {
    try {
      HttpRequest.BodyPublisher publisher = body == null
          ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body));
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + ip + ":" + AgentApi.PORT + path))
          .timeout(timeout)
          .header(AgentApi.AUTHORIZATION_HEADER, AgentApi.BEARER_PREFIX + token)
          .header("Content-Type", "application/json")
          .method(method, publisher)
          .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        return new Answer<>(null, PollFailure.HTTP_ERROR, response.statusCode() + " " + response.body());
      }
      T value = type == String.class ? type.cast(response.body()) : Json.mapper().readValue(response.body(), type);
      return new Answer<>(value, PollFailure.NONE, null);
    } catch (JsonProcessingException e) {
      return new Answer<>(null, PollFailure.HTTP_ERROR, "unreadable answer: " + e.getMessage());
    } catch (HttpTimeoutException e) {
      return new Answer<>(null, PollFailure.TIMEOUT, e.getMessage());
    } catch (ConnectException e) {
      return new Answer<>(null, PollFailure.CONNECTION_REFUSED, String.valueOf(e.getMessage()));
    } catch (IOException e) {
      PollFailure kind = e.getCause() instanceof ConnectException ? PollFailure.CONNECTION_REFUSED : PollFailure.TIMEOUT;
      return new Answer<>(null, kind, String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer<>(null, PollFailure.TIMEOUT, "interrupted");
    }
  }
}
