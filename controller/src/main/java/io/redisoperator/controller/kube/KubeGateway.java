package io.redisoperator.controller.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.event.EventReason;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Every write (and the few reads not served by informers) the controller makes to the API server.
 * Calls run on the {@link ApiExecutor}'s threads, never on an actor thread, and are counted by verb
 * and outcome. Patches are JSON merge patches and selectors equality-based, so the same code works
 * against a real API server and the fabric8 mock.
 */
public final class KubeGateway {
  public static final String COMPONENT = "redis-operator";

  /**
   * Service creates in flight at most ({@link CallGate}): the API server allocates their cluster
   * IPs one at a time, and a few in flight keep its allocator busy.
   */
  static final int SERVICE_CREATES_IN_FLIGHT = 4;

  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final ExecutorService executor;
  private final OperatorMetrics metrics;
  private final String reportingInstance;

  private final io.redisoperator.controller.leader.Leadership leadership;

  /** The rank its calls queue by on the {@link ApiExecutor} ({@link CallRank}). */
  private final long rank;

  /** Shared by every cluster's gateway: the Service creates the API server serves one at a time. */
  private final CallGate serviceCreates;

  public KubeGateway(
      KubernetesClient client,
      ExecutorService executor,
      OperatorMetrics metrics,
      String identity,
      io.redisoperator.controller.leader.Leadership leadership) {
    this(
        client,
        executor,
        metrics,
        identity,
        leadership,
        CallRank.UNRANKED,
        new CallGate(SERVICE_CREATES_IN_FLIGHT));
  }

  private KubeGateway(
      KubernetesClient client,
      ExecutorService executor,
      OperatorMetrics metrics,
      String identity,
      io.redisoperator.controller.leader.Leadership leadership,
      long rank,
      CallGate serviceCreates) {
    this.leadership = leadership;
    this.client = client;
    this.executor = executor;
    this.metrics = metrics;
    this.reportingInstance = identity;
    this.rank = rank;
    this.serviceCreates = serviceCreates;
  }

  /**
   * This gateway for one cluster's calls, queued by the cluster's {@code seniority} (1 for the
   * first cluster the controller took up): see {@link CallRank}.
   */
  public KubeGateway ranked(long seniority) {
    if (seniority <= CallRank.UNRANKED) {
      throw new IllegalArgumentException("a cluster's seniority starts at 1: " + seniority);
    }
    return new KubeGateway(
        client, executor, metrics, reportingInstance, leadership, seniority, serviceCreates);
  }

  public KubernetesClient client() {
    return client;
  }

  public <T extends HasMetadata> CompletionStage<T> create(T resource) {
    if (allocatesClusterIp(resource)) {
      return gated(serviceCreates, () -> write("create", () -> client.resource(resource).create()));
    }
    return write("create", () -> client.resource(resource).create());
  }

  /**
   * A Service whose create waits for the API server's cluster IP allocator: neither headless nor an
   * ExternalName.
   */
  private static boolean allocatesClusterIp(HasMetadata resource) {
    return resource instanceof Service service
        && (service.getSpec() == null
            || (!"None".equals(service.getSpec().getClusterIP())
                && !"ExternalName".equals(service.getSpec().getType())));
  }

  /** {@code call} sent once {@code gate} lets it through; the gate learns when it ended. */
  private <T> CompletionStage<T> gated(CallGate gate, Supplier<CompletionStage<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    gate.enter(
        rank,
        () ->
            call.get()
                .whenComplete(
                    (value, error) -> {
                      gate.ended();
                      if (error != null) {
                        result.completeExceptionally(error);
                      } else {
                        result.complete(value);
                      }
                    }));
    return result;
  }

  /**
   * JSON merge patch of the named object; {@code patch} is JSON text or any object fabric8
   * serializes.
   */
  public <T extends HasMetadata> CompletionStage<T> mergePatch(
      Class<T> type, String namespace, String name, Object patch) {
    String json =
        patch instanceof String text ? text : client.getKubernetesSerialization().asJson(patch);
    return write(
        "patch",
        () ->
            client
                .resource(named(type, namespace, name))
                .patch(PatchContext.of(PatchType.JSON_MERGE), json));
  }

  /**
   * JSON merge patch of the status subresource of the named object (RedisBackup,
   * RedisScheduledBackup).
   */
  public <T extends HasMetadata> CompletionStage<T> mergePatchStatus(
      Class<T> type, String namespace, String name, Object patch) {
    String json =
        patch instanceof String text ? text : client.getKubernetesSerialization().asJson(patch);
    return call(
        "patch_status",
        () ->
            client
                .resource(named(type, namespace, name))
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), json));
  }

  /**
   * An empty object of {@code type} carrying only its name: what a patch is addressed to. fabric8
   * GETs the object first when a patch is addressed by name alone ({@code withName(..).patch}), one
   * read per write for nothing (a merge patch carries no resource version); addressed to an item,
   * only the PATCH is sent.
   */
  private static <T extends HasMetadata> T named(Class<T> type, String namespace, String name) {
    T item;
    try {
      item = type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot address a patch to " + type.getName(), e);
    }
    item.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    return item;
  }

  public <T extends HasMetadata> CompletionStage<Boolean> delete(
      Class<T> type, String namespace, String name) {
    return write(
        "delete",
        () -> !client.resources(type).inNamespace(namespace).withName(name).delete().isEmpty());
  }

  /**
   * Replaces the status of the cluster. The object carries the resourceVersion the decision was
   * based on, so a real API server rejects the write (409) when someone changed the cluster in
   * between.
   */
  public CompletionStage<RedisCluster> updateStatus(RedisCluster cluster) {
    return write("update_status", () -> client.resource(cluster).updateStatus());
  }

  public <T extends HasMetadata> CompletionStage<Optional<T>> get(
      Class<T> type, String namespace, String name) {
    return call(
        "get",
        () ->
            Optional.ofNullable(
                client.resources(type).inNamespace(namespace).withName(name).get()));
  }

  /**
   * Records an events.k8s.io/v1 Event about {@code regarding}; failures are counted, never
   * propagated.
   */
  public CompletionStage<Void> event(
      HasMetadata regarding, EventReason reason, String action, String note) {
    ObjectReference ref =
        new ObjectReferenceBuilder()
            .withApiVersion(regarding.getApiVersion())
            .withKind(regarding.getKind())
            .withNamespace(regarding.getMetadata().getNamespace())
            .withName(regarding.getMetadata().getName())
            .withUid(regarding.getMetadata().getUid())
            .build();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(regarding.getMetadata().getNamespace())
            .withName(
                regarding.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().substring(0, 13))
            .endMetadata()
            .withRegarding(ref)
            .withType(reason.type())
            .withReason(reason.reason())
            .withAction(action)
            .withNote(note.length() > 1000 ? note.substring(0, 1000) : note)
            .withReportingController(COMPONENT)
            .withReportingInstance(reportingInstance)
            .withEventTime(new MicroTime(MICRO_TIME.format(Instant.now())))
            .build();
    return call("event", () -> client.resource(event).create()).handle((r, e) -> null);
  }

  /**
   * A write runs only while this process leads, checked when it is about to be sent: a write queued
   * before the lease was lost is dropped, not sent late.
   */
  private <T> CompletionStage<T> write(String verb, Supplier<T> operation) {
    return call(
        verb,
        () -> {
          leadership.check();
          return operation.get();
        });
  }

  /**
   * Runs {@code operation} on the executor. A call the executor refuses (shut down, or a bounded
   * queue full: with 10,000 places a thousand clusters' first passes overflowed it) fails its stage
   * like a failed request, and the pass that made it retries; thrown, the refusal ended the cluster
   * actor's pass and restarted the actor with its pollers.
   */
  private <T> CompletionStage<T> call(String verb, Supplier<T> operation) {
    try {
      return callOnExecutor(verb, operation);
    } catch (RejectedExecutionException e) {
      metrics.apiCall(verb, "error");
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Queued by this gateway's rank; a failure completes the stage wrapped, as supplyAsync's did. */
  private <T> CompletionStage<T> callOnExecutor(String verb, Supplier<T> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    executor.execute(
        new RankedCall(
            rank,
            () -> {
              try {
                T value = operation.get();
                metrics.apiCall(verb, "ok");
                result.complete(value);
              } catch (KubernetesClientException e) {
                metrics.apiCall(verb, outcome(e.getCode()));
                result.completeExceptionally(new CompletionException(e));
              } catch (RuntimeException e) {
                metrics.apiCall(verb, "error");
                result.completeExceptionally(new CompletionException(e));
              }
            }));
    return result;
  }

  private static String outcome(int code) {
    return switch (code) {
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 422 -> "invalid";
      case 403 -> "forbidden";
      default -> code >= 500 ? "server_error" : "error";
    };
  }

  /** True when {@code error} (possibly wrapped) is an API answer with the given HTTP code. */
  public static boolean isCode(Throwable error, int code) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == code) {
        return true;
      }
    }
    return false;
  }
}
