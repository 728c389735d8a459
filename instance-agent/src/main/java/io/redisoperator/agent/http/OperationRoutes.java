package io.redisoperator.agent.http;

import io.redisoperator.agent.acl.LegacyPeerUsers;
import io.redisoperator.agent.instance.InstanceCommand;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.LegacyUsersResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The operations the controller asks of the agent: {@code promote}, {@code replicate}, {@code
 * fence} (POST; DELETE unfences), {@code switchover} and {@code legacy-users}. A malformed body is
 * a 400 before anything happens ({@link RequestBodies}); the rest goes to the instance actor one
 * operation at a time ({@link InstanceGateway}).
 */
final class OperationRoutes extends AllDirectives {

  /** Where the routes' requests name this pod's own Redis and cluster. */
  record Self(String podIp, int redisPort, String cluster) {}

  private final InstanceGateway instance;
  private final Self self;
  private final ReplicationSources sources;
  private final LegacyPeerUsers legacyPeers;

  OperationRoutes(
      InstanceGateway instance,
      Self self,
      ReplicationSources sources,
      LegacyPeerUsers legacyPeers) {
    this.instance = instance;
    this.self = self;
    this.sources = sources;
    this.legacyPeers = legacyPeers;
  }

  Route route() {
    return concat(
        path("promote", () -> post(() -> withBody(this::promote))),
        path("replicate", () -> post(() -> withBody(this::replicate))),
        path(
            "fence",
            () ->
                concat(
                    post(() -> withBody(this::fence)),
                    delete(() -> completeWithFuture(instance.ask(InstanceCommand.Unfence::new))))),
        path("switchover", () -> post(() -> withBody(this::switchover))),
        path("legacy-users", () -> post(() -> withBody(this::legacyUsers))));
  }

  private CompletionStage<HttpResponse> promote(String body) throws RequestBodies.BadRequest {
    PromoteRequest request = RequestBodies.promote(body);
    long receivedAt = System.nanoTime();
    return instance.ask(
        (deadline, replyTo) ->
            new InstanceCommand.Promote(
                request, deadline, executeBy(request, receivedAt, deadline), replyTo));
  }

  /**
   * The moment past which a promotion must not start: the caller's own deadline ({@code
   * timeoutMillis} from receipt) or the agent's operation deadline, whichever comes first.
   */
  static long executeBy(PromoteRequest request, long receivedAtNanos, long deadlineNanos) {
    long callers = receivedAtNanos + Duration.ofMillis(request.timeoutMillis()).toNanos();
    return callers - deadlineNanos < 0 ? callers : deadlineNanos;
  }

  private CompletionStage<HttpResponse> replicate(String body) throws RequestBodies.BadRequest {
    RequestBodies.Replicate source =
        RequestBodies.replicate(body, self.podIp(), self.redisPort(), self.cluster());
    // The replication password goes wherever Redis is pointed: only to this cluster's pods.
    return ifSource(
        source.primaryPod(),
        source.primary().host(),
        () ->
            instance.ask(
                (deadline, replyTo) ->
                    new InstanceCommand.Replicate(source.primary(), deadline, replyTo)));
  }

  private CompletionStage<HttpResponse> fence(String body) throws RequestBodies.BadRequest {
    String reason = RequestBodies.fenceReason(body);
    return instance.ask(
        (deadline, replyTo) -> new InstanceCommand.Fence(reason, deadline, replyTo));
  }

  private CompletionStage<HttpResponse> switchover(String body) throws RequestBodies.BadRequest {
    RequestBodies.Switchover s = RequestBodies.switchover(body);
    long startBy = System.nanoTime() + Duration.ofMillis(s.timeoutMillis()).toNanos();
    // The switchover may wait for its target up to its own timeout, on top of the usual.
    return instance.ask(
        (deadline, replyTo) ->
            new InstanceCommand.Switchover(
                s.target(), s.timeoutMillis(), deadline, startBy, replyTo),
        instance.operationTimeout().plusMillis(s.timeoutMillis()));
  }

  /**
   * The operator's users on a peer from before ACL users (200 with their names; 502 when the peer
   * refused or did not answer). The peer must be the named pod of this cluster: the agent gives it
   * the replication password.
   */
  private CompletionStage<HttpResponse> legacyUsers(String body) throws RequestBodies.BadRequest {
    RequestBodies.LegacyUsers request =
        RequestBodies.legacyUsers(body, self.podIp(), self.redisPort(), self.cluster());
    return ifSource(
        request.pod(),
        request.peer().host(),
        () ->
            legacyPeers
                .seed(request.peer(), request.defaultPassword())
                .handle(
                    (users, e) ->
                        e == null
                            ? Responses.json(200, new LegacyUsersResult(request.pod(), users))
                            : Responses.error(
                                502,
                                AgentError.UNAVAILABLE,
                                request.pod()
                                    + " not given the operator's users: "
                                    + rootMessage(e))));
  }

  /**
   * Runs {@code action} only when {@code host} is the address of this cluster's pod {@code pod}.
   */
  private CompletionStage<HttpResponse> ifSource(
      String pod, String host, Supplier<CompletionStage<HttpResponse>> action) {
    return sources
        .problem(pod, host)
        .thenCompose(
            problem ->
                problem
                    .map(p -> CompletableFuture.completedStage(Responses.refused(p)))
                    .orElseGet(action));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  /** What a body turns into: the asynchronous answer, or a refusal before anything happened. */
  @FunctionalInterface
  private interface BodyHandler {
    CompletionStage<HttpResponse> handle(String body) throws RequestBodies.BadRequest;
  }

  private Route withBody(BodyHandler handler) {
    return entity(
        Unmarshaller.entityToString(),
        body -> {
          try {
            return completeWithFuture(handler.handle(body));
          } catch (RequestBodies.BadRequest e) {
            return complete(Responses.error(400, AgentError.BAD_REQUEST, e.getMessage()));
          }
        });
  }
}
