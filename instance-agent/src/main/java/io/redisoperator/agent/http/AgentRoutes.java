package io.redisoperator.agent.http;

import io.redisoperator.agent.acl.LegacyPeerUsers;
import io.redisoperator.agent.backup.BackupRequests;
import io.redisoperator.agent.backup.BackupService;
import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.instance.InstanceActor;
import io.redisoperator.agent.instance.Outcome;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.metrics.AgentMetrics;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.LegacyUsersResult;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API ({@link AgentApi}): {@link #api()} for the API port, where the TLS handshake
 * already admitted only the controller ({@link AgentServerTls}), and {@link #probes()} for the
 * plain probe port. Status is served from memory; operations go to {@link InstanceActor} with a
 * deadline.
 */
public final class AgentRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(AgentRoutes.class);
  private static final Set<String> KNOWN_PATHS =
      Set.of(
          AgentApi.PATH_STATUS,
          AgentApi.PATH_PROMOTE,
          AgentApi.PATH_REPLICATE,
          AgentApi.PATH_FENCE,
          AgentApi.PATH_SWITCHOVER,
          AgentApi.PATH_BACKUP,
          AgentApi.PATH_LEGACY_USERS,
          AgentApi.PATH_HEALTHZ,
          AgentApi.PATH_READYZ,
          AgentApi.PATH_METRICS);

  /**
   * @param readyMaxReplicaLagSeconds a replica whose primary was last heard longer ago than this is
   *     not ready
   */
  public record Settings(
      String podIp,
      int redisPort,
      Duration operationTimeout,
      long readyMaxReplicaLagSeconds,
      String cluster) {}

  private final ActorSystem<?> system;
  private final ActorRef<InstanceActor.Command> instance;
  private final StatusBoard board;
  private final BackupService backups;
  private final AgentMetrics metrics;
  private final Settings settings;
  private final ReplicationSources sources;
  private final LegacyPeerUsers legacyPeers;
  private final LeaderEpochs epochs = new LeaderEpochs();

  public AgentRoutes(
      ActorSystem<?> system,
      ActorRef<InstanceActor.Command> instance,
      StatusBoard board,
      BackupService backups,
      AgentMetrics metrics,
      Settings settings,
      ReplicationSources sources,
      LegacyPeerUsers legacyPeers) {
    this.sources = sources;
    this.legacyPeers = legacyPeers;
    this.system = system;
    this.instance = instance;
    this.board = board;
    this.backups = backups;
    this.metrics = metrics;
    this.settings = settings;
  }

  /** The API port: {@code /v1}, every request the controller's. */
  public Route api() {
    return served(pathPrefix("v1", () -> fromController(this::v1)));
  }

  /** The probe port: {@code /healthz}, {@code /readyz}, {@code /metrics}. */
  public Route probes() {
    return served(
        concat(
            path("healthz", () -> get(() -> complete(json(200, Map.of("status", "ok"))))),
            path("readyz", () -> get(() -> complete(readiness()))),
            path("metrics", () -> get(() -> complete(prometheus())))));
  }

  private Route served(Route routes) {
    return instrumented(
        handleExceptions(
            ExceptionHandler.newBuilder()
                .matchAny(
                    e -> {
                      log.error("unexpected error serving a request", e);
                      return complete(error(500, AgentError.INTERNAL, "internal error"));
                    })
                .build(),
            () ->
                handleRejections(
                    RejectionHandler.newBuilder()
                        .handleNotFound(
                            complete(error(404, AgentError.NOT_FOUND, "no such endpoint")))
                        .build()
                        .withFallback(RejectionHandler.defaultHandler()),
                    () -> routes)));
  }

  private Route v1() {
    return concat(
        path("status", () -> get(this::status)),
        path("backup", this::backup),
        path("legacy-users", () -> post(() -> withBody(this::legacyUsers))),
        path(
            "promote",
            () ->
                post(
                    () ->
                        withBody(
                            body -> {
                              var request = RequestBodies.promote(body);
                              long receivedAt = System.nanoTime();
                              return ask(
                                  (deadline, replyTo) ->
                                      new InstanceActor.Promote(
                                          request,
                                          deadline,
                                          executeBy(request, receivedAt, deadline),
                                          replyTo));
                            }))),
        path(
            "replicate",
            () ->
                post(
                    () ->
                        withBody(
                            body -> {
                              RequestBodies.Replicate source =
                                  RequestBodies.replicate(
                                      body,
                                      settings.podIp(),
                                      settings.redisPort(),
                                      settings.cluster());
                              Endpoint primary = source.primary();
                              // The replication password goes wherever Redis is pointed: only to
                              // this cluster's pods.
                              return sources
                                  .problem(source.primaryPod(), primary.host())
                                  .thenCompose(
                                      problem ->
                                          problem
                                              .map(
                                                  p ->
                                                      java.util.concurrent.CompletableFuture
                                                          .completedStage(
                                                              error(
                                                                  p.httpStatus(),
                                                                  p.code(),
                                                                  p.message())))
                                              .orElseGet(
                                                  () ->
                                                      ask(
                                                          (deadline, replyTo) ->
                                                              new InstanceActor.Replicate(
                                                                  primary, deadline, replyTo))));
                            }))),
        path(
            "fence",
            () ->
                concat(
                    post(
                        () ->
                            withBody(
                                body -> {
                                  String reason = RequestBodies.fenceReason(body);
                                  return ask(
                                      (deadline, replyTo) ->
                                          new InstanceActor.Fence(reason, deadline, replyTo));
                                })),
                    delete(() -> completeWithFuture(ask(InstanceActor.Unfence::new))))),
        path(
            "switchover",
            () ->
                post(
                    () ->
                        withBody(
                            body -> {
                              RequestBodies.Switchover s = RequestBodies.switchover(body);
                              long startBy =
                                  System.nanoTime()
                                      + Duration.ofMillis(s.timeoutMillis()).toNanos();
                              // The switchover may wait for its target up to its own timeout, on
                              // top of the usual.
                              return ask(
                                  (deadline, replyTo) ->
                                      new InstanceActor.Switchover(
                                          s.target(),
                                          s.timeoutMillis(),
                                          deadline,
                                          startBy,
                                          replyTo),
                                  settings.operationTimeout().plusMillis(s.timeoutMillis()));
                            }))));
  }

  /**
   * {@code POST /v1/backup} starts a backup in the background (202 with its progress; 409 while
   * another runs); {@code GET /v1/backup} is the latest backup's progress (404 when none ran since
   * the agent started).
   */
  private Route backup() {
    return concat(
        get(
            () ->
                complete(
                    backups
                        .latest()
                        .map(p -> json(200, p))
                        .orElseGet(
                            () ->
                                error(
                                    404,
                                    AgentError.NOT_FOUND,
                                    "no backup since the agent started")))),
        post(
            () ->
                entity(
                    Unmarshaller.entityToString(),
                    body -> {
                      BackupRequest request;
                      try {
                        request = BackupRequests.parse(body);
                      } catch (BackupRequests.Invalid e) {
                        return complete(error(400, AgentError.BAD_REQUEST, e.getMessage()));
                      }
                      return complete(
                          backups
                              .start(request)
                              .map(
                                  running ->
                                      error(
                                          409,
                                          AgentError.CONFLICT,
                                          "backup " + running.backupId() + " is still running"))
                              .orElseGet(() -> json(202, backups.latest().orElseThrow())));
                    })));
  }

  /**
   * {@code POST /v1/legacy-users}: the operator's users on a peer from before ACL users (200 with
   * their names; 502 when the peer refused or did not answer). The peer must be the named pod of
   * this cluster: the agent gives it the replication password.
   */
  private CompletionStage<HttpResponse> legacyUsers(String body) throws RequestBodies.BadRequest {
    RequestBodies.LegacyUsers request =
        RequestBodies.legacyUsers(body, settings.podIp(), settings.redisPort(), settings.cluster());
    return sources
        .problem(request.pod(), request.peer().host())
        .thenCompose(
            problem ->
                problem.isPresent()
                    ? java.util.concurrent.CompletableFuture.completedStage(
                        error(
                            problem.get().httpStatus(),
                            problem.get().code(),
                            problem.get().message()))
                    : legacyPeers
                        .seed(request.peer(), request.defaultPassword())
                        .handle(
                            (users, e) ->
                                e == null
                                    ? json(200, new LegacyUsersResult(request.pod(), users))
                                    : error(
                                        502,
                                        AgentError.UNAVAILABLE,
                                        request.pod()
                                            + " not given the operator's users: "
                                            + rootMessage(e))));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  /**
   * The moment past which a promotion must not start: the caller's own deadline ({@code
   * timeoutMillis} from receipt) or the agent's operation deadline, whichever comes first.
   */
  static long executeBy(PromoteRequest request, long receivedAtNanos, long deadlineNanos) {
    long callers = receivedAtNanos + Duration.ofMillis(request.timeoutMillis()).toNanos();
    return callers - deadlineNanos < 0 ? callers : deadlineNanos;
  }

  /**
   * {@code GET /v1/status}, at once or held while {@code since} is the current version ({@link
   * AgentApi#PATH_STATUS}'s long-poll); the version goes with every answer. The request counts as
   * controller contact when it arrives, as any.
   */
  private Route status() {
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
                        error(
                            400,
                            AgentError.BAD_REQUEST,
                            AgentApi.STATUS_WAIT_PARAM + " must be a number of milliseconds"));
                  }
                  if (waitMillis < 0) {
                    return complete(
                        error(
                            400,
                            AgentError.BAD_REQUEST,
                            AgentApi.STATUS_WAIT_PARAM + " must not be negative"));
                  }
                  return completeWithFuture(
                      board
                          .waiters()
                          .await(since.orElse(null), waitMillis)
                          .thenApply(
                              answer ->
                                  json(200, served(answer.status()))
                                      .addHeader(
                                          org.apache.pekko.http.javadsl.model.headers.RawHeader
                                              .create(
                                                  AgentApi.STATUS_VERSION_HEADER,
                                                  answer.version()))));
                }));
  }

  /**
   * Notes what the controller is told: a status saying Redis cannot take writes may let it promote
   * another instance, so for a while after it the agent does not make its Redis writable on its
   * own.
   */
  private InstanceStatus served(InstanceStatus status) {
    board.recordReportServed(status);
    return status;
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
            return complete(error(400, AgentError.BAD_REQUEST, e.getMessage()));
          }
        });
  }

  /** Builds a request for the instance actor from its deadline and reply address. */
  @FunctionalInterface
  private interface RequestFactory {
    InstanceActor.Request create(long deadlineNanos, ActorRef<Outcome> replyTo);
  }

  private CompletionStage<HttpResponse> ask(RequestFactory command) {
    return ask(command, settings.operationTimeout());
  }

  /**
   * The actor answers by {@code operationTime} (a timeout answer if need be); the ask waits a
   * little longer so that answer, which says whether anything was executed, is what the caller
   * gets.
   */
  private CompletionStage<HttpResponse> ask(RequestFactory command, Duration operationTime) {
    long deadline = System.nanoTime() + operationTime.toNanos();
    Duration timeout = operationTime.plusSeconds(1);
    return AskPattern.<InstanceActor.Command, Outcome>ask(
            instance, replyTo -> command.create(deadline, replyTo), timeout, system.scheduler())
        .handle(
            (outcome, e) -> {
              if (e == null) {
                if (outcome.body() instanceof OperationResult result && result.status() != null) {
                  served(result.status());
                }
                return json(outcome.httpStatus(), outcome.body());
              }
              if (e instanceof TimeoutException || e.getCause() instanceof TimeoutException) {
                return error(
                    504,
                    AgentError.TIMEOUT,
                    "the operation did not finish within " + timeout.toMillis() + " ms");
              }
              return error(500, AgentError.INTERNAL, String.valueOf(e.getMessage()));
            });
  }

  /**
   * Only the controller completes the handshake on the API port (its client certificate, {@code
   * AgentTls}), so every request that reaches a route is contact with the controller, which
   * self-fencing counts.
   */
  private Route fromController(java.util.function.Supplier<Route> inner) {
    return extractRequest(
        request -> {
          board.recordControllerContact();
          return fromCurrentLeader(inner);
        });
  }

  /**
   * Operations (anything but a GET) from a controller with a lower lease epoch than one already
   * seen: 409.
   */
  private Route fromCurrentLeader(java.util.function.Supplier<Route> inner) {
    return extractMethod(
        method ->
            optionalHeaderValueByName(
                AgentApi.LEADER_EPOCH_HEADER,
                epoch ->
                    epochs
                        .refusal(epoch, !"GET".equals(method.value()))
                        .map(reason -> complete(error(409, AgentError.CONFLICT, reason)))
                        .orElseGet(inner)));
  }

  private HttpResponse readiness() {
    RedisInfo info = board.liveInfo();
    return Readiness.notReadyReason(info, settings.readyMaxReplicaLagSeconds(), board.aclStatus())
        .map(reason -> error(503, AgentError.UNAVAILABLE, reason))
        .orElseGet(
            () ->
                json(
                    200,
                    Map.of(
                        "ready",
                        true,
                        "role",
                        info.role() == InstanceRole.PRIMARY ? "primary" : "replica")));
  }

  private HttpResponse prometheus() {
    return HttpResponse.create()
        .withStatus(200)
        .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape()));
  }

  private Route instrumented(Route inner) {
    return extractRequest(
        request -> {
          long start = System.nanoTime();
          String path = request.getUri().path();
          String label = KNOWN_PATHS.contains(path) ? path : "other";
          return mapResponse(
              response -> {
                metrics.recordRequest(
                    request.method().value(),
                    label,
                    response.status().intValue(),
                    Duration.ofNanos(System.nanoTime() - start));
                return response;
              },
              () -> inner);
        });
  }

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
}
