package io.redisoperator.sandbox.api;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fabric8 CRUD dispatcher plus what a real API server does that the mock does not, and that the
 * sandbox's behaviour depends on:
 *
 * <ul>
 *   <li>discovery documents for kubectl;
 *   <li>graceful pod deletion: a DELETE with a non-zero grace period only sets {@code
 *       deletionTimestamp} and {@code deletionGracePeriodSeconds}; the kubelet removes the object
 *       once the containers are gone. A zero grace period (force delete) removes the object at
 *       once;
 *   <li>Service cluster IPs: allocated on create, kept on an update that omits them.
 * </ul>
 */
final class SandboxDispatcher extends Dispatcher {
  private static final Pattern POD_PATH =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)(\\?.*)?$");
  private static final Pattern SERVICES_PATH =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/services(/[^/?]+)?(\\?.*)?$");
  private static final Pattern GRACE_QUERY = Pattern.compile("[?&]gracePeriodSeconds=(\\d+)");
  private static final long DEFAULT_GRACE_SECONDS = 30;
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
  private final Supplier<String> clusterIpAllocator;
  private volatile Discovery discovery;

  SandboxDispatcher(Supplier<String> clusterIpAllocator) {
    this.clusterIpAllocator = clusterIpAllocator;
  }

  void setDiscovery(Discovery discovery) {
    this.discovery = discovery;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    HttpMethod method = request.method();
    if (method == HttpMethod.GET && discovery != null && !path.contains("watch=")) {
      var document = discovery.document(path);
      if (document.isPresent()) {
        return json(200, document.get());
      }
    }
    if (method == HttpMethod.DELETE && POD_PATH.matcher(path).matches()) {
      return deletePod(request);
    }
    Matcher services = SERVICES_PATH.matcher(path);
    if (services.matches() && method == HttpMethod.POST && services.group(2) == null) {
      return crud.handleCreate(
          withBody(request, assignClusterIp(request.getBody().readUtf8(), null)));
    }
    if (services.matches() && method == HttpMethod.PUT && services.group(2) != null) {
      var existing = crud.findResource(crud.getKey(path));
      String previousIp =
          existing == null
              ? null
              : MAPPER.readTree(existing.getValue()).path("spec").path("clusterIP").asString(null);
      return crud.handleUpdate(
          withBody(request, assignClusterIp(request.getBody().readUtf8(), previousIp)));
    }
    if (services.matches() && method == HttpMethod.PATCH && services.group(2) != null) {
      return patchKeepingClusterIp(request);
    }
    MockResponse response = crud.dispatch(request);
    return response == null ? new MockResponse().setResponseCode(405) : response;
  }

  @Override
  public void shutdown() {
    crud.shutdown();
  }

  /**
   * A patch that drops spec.clusterIP keeps the allocated one, as the API server's
   * patchAllocatedValues does.
   */
  private MockResponse patchKeepingClusterIp(RecordedRequest request) {
    String path = request.getPath();
    var before = crud.findResource(crud.getKey(path));
    String previousIp =
        before == null
            ? null
            : MAPPER.readTree(before.getValue()).path("spec").path("clusterIP").asString(null);
    MockResponse response = crud.handlePatch(request);
    var after = crud.findResource(crud.getKey(path));
    if (previousIp == null || after == null) {
      return response;
    }
    ObjectNode service = (ObjectNode) MAPPER.readTree(after.getValue());
    JsonNode spec = service.path("spec");
    if (spec instanceof ObjectNode specObject && spec.path("clusterIP").asString("").isEmpty()) {
      specObject.put("clusterIP", previousIp);
      specObject.putArray("clusterIPs").add(previousIp);
      String fixed = Serialization.asJson(service);
      crud.processEvent(path, crud.getKey(path), after.getKey(), null, fixed);
      return json(response.code(), fixed);
    }
    return response;
  }

  private MockResponse deletePod(RecordedRequest request) {
    String path = request.getPath();
    AttributeSet key = crud.getKey(path);
    Map.Entry<AttributeSet, String> entry = crud.findResource(key);
    if (entry == null) {
      return crud.handleDelete(path);
    }
    ObjectNode pod = (ObjectNode) MAPPER.readTree(entry.getValue());
    long grace = gracePeriod(request, pod);
    ObjectNode metadata = (ObjectNode) pod.get("metadata");
    if (grace == 0) {
      return crud.handleDelete(path);
    }
    if (metadata.hasNonNull("deletionTimestamp")) {
      return json(200, entry.getValue());
    }
    metadata.put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    metadata.put("deletionGracePeriodSeconds", grace);
    metadata.put("resourceVersion", String.valueOf(crud.requestResourceVersion()));
    String updated = Serialization.asJson(pod);
    crud.processEvent(path, key, entry.getKey(), null, updated);
    return json(200, updated);
  }

  /**
   * DeleteOptions body, else the {@code gracePeriodSeconds} query parameter, else the pod's own
   * setting.
   */
  private static long gracePeriod(RecordedRequest request, JsonNode pod) {
    Buffer body = request.getBody();
    if (body != null && body.size() > 0) {
      JsonNode options = MAPPER.readTree(new String(body.getBytes(), StandardCharsets.UTF_8));
      if (options.hasNonNull("gracePeriodSeconds")) {
        return options.get("gracePeriodSeconds").asLong();
      }
    }
    Matcher query = GRACE_QUERY.matcher(request.getPath());
    if (query.find()) {
      return Long.parseLong(query.group(1));
    }
    JsonNode fromSpec = pod.path("spec").path("terminationGracePeriodSeconds");
    return fromSpec.isNumber() ? fromSpec.asLong() : DEFAULT_GRACE_SECONDS;
  }

  /**
   * Sets spec.clusterIP(s) unless the Service is headless or already has one; {@code previous} wins
   * on update.
   */
  private String assignClusterIp(String body, String previous) {
    ObjectNode service = (ObjectNode) MAPPER.readTree(body);
    JsonNode specNode = service.get("spec");
    ObjectNode spec = specNode instanceof ObjectNode o ? o : service.putObject("spec");
    String requested = spec.path("clusterIP").asString("");
    if ("None".equals(requested) || !requested.isEmpty() && previous == null) {
      return body;
    }
    String ip = previous != null && !previous.isEmpty() ? previous : clusterIpAllocator.get();
    spec.put("clusterIP", ip);
    spec.putArray("clusterIPs").add(ip);
    if (!spec.hasNonNull("type")) {
      spec.put("type", "ClusterIP");
    }
    return Serialization.asJson(service);
  }

  private static RecordedRequest withBody(RecordedRequest original, String body) {
    return new RecordedRequest(
        original.getHttpVersion(),
        original.method(),
        original.getPath(),
        original.getHeaders(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }
}
