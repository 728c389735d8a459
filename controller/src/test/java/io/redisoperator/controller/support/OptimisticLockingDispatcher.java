package io.redisoperator.controller.support;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;

/**
 * The fabric8 CRUD mock with the API server's optimistic locking on status updates. The plain mock
 * accepts a PUT to {@code /status} carrying a stale resourceVersion, which a real API server
 * refuses with 409; a controller tested on the plain mock can then write a decision twice from a
 * stale copy, something that never happens in production and that a test must not see either.
 * Writes are serialized so the version check and the write are one step. A watch closed while its
 * events are being sent leaves the mock answering ({@link EventLoopWatchListener}).
 */
public final class OptimisticLockingDispatcher extends KubernetesCrudDispatcher {

  /**
   * A started mock server (HTTP) using this dispatcher; the caller creates clients and destroys it.
   */
  public static KubernetesMockServer startServer() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            new OptimisticLockingDispatcher(),
            false);
    server.init();
    return server;
  }

  @Override
  public synchronized MockResponse handleUpdate(RecordedRequest request) {
    String path = request.getPath();
    String resourcePath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    if (resourcePath.endsWith("/status")) {
      String sent = resourceVersion(utf8(request.getBody()));
      MockResponse stored = handleGet(resourcePath.substring(0, resourcePath.length() - 7));
      String current = stored.code() == 200 ? resourceVersion(utf8(stored.getBody())) : null;
      if (sent != null && current != null && !sent.equals(current)) {
        return conflict(resourcePath, sent, current);
      }
    }
    return super.handleUpdate(request);
  }

  @Override
  public synchronized MockResponse handlePatch(RecordedRequest request) {
    return super.handlePatch(request);
  }

  @Override
  public synchronized MockResponse handleCreate(RecordedRequest request) {
    return super.handleCreate(request);
  }

  @Override
  public synchronized MockResponse handleDelete(String path) {
    return super.handleDelete(path);
  }

  /** A watch whose close never waits for its events' writes ({@link EventLoopWatchListener}). */
  @Override
  public MockResponse handleWatch(String path) {
    MockResponse response = super.handleWatch(path);
    WebSocketListener watch = response.getWebSocketListener();
    return watch == null
        ? response
        : response.withWebSocketUpgrade(new EventLoopWatchListener(watch));
  }

  /** The body's text, read without consuming it (the mock's buffers empty themselves on read). */
  private static String utf8(Buffer body) {
    return body == null ? null : new String(body.getBytes(), StandardCharsets.UTF_8);
  }

  private static String resourceVersion(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    GenericKubernetesResource resource =
        Serialization.unmarshal(json, GenericKubernetesResource.class);
    return resource.getMetadata() == null ? null : resource.getMetadata().getResourceVersion();
  }

  private static MockResponse conflict(String path, String sent, String current) {
    String message =
        "Operation cannot be fulfilled on "
            + path
            + ": the object has been modified (resourceVersion "
            + sent
            + ", stored "
            + current
            + "); please apply your changes to the latest version and try again";
    String body =
        "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Conflict\","
            + "\"code\":409,\"message\":"
            + Serialization.asJson(message)
            + "}";
    return new MockResponse()
        .setResponseCode(409)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }
}
