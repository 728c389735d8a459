package io.redisoperator.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.LegacyUsersRequest;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.json.Json;

/**
 * Pure: turns request bodies into validated commands, or a {@link BadRequest} naming what is wrong.
 * Nothing happens to the instance before a body has passed here.
 */
public final class RequestBodies {
  public static final long MAX_SWITCHOVER_TIMEOUT_MILLIS = 60_000;
  public static final long MAX_PROMOTE_TIMEOUT_MILLIS = 60_000;
  static final int MAX_REASON_LENGTH = 1024;

  /**
   * The contract's tolerant reader (fields a newer controller adds are ignored), stricter on types
   * still: a number or boolean where the contract has a string is a wrong type, not something to
   * convert.
   */
  private static final ObjectMapper STRICT = strict();

  private RequestBodies() {}

  private static ObjectMapper strict() {
    ObjectMapper mapper = Json.contract().copy();
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return mapper;
  }

  /** A request the agent refuses before doing anything. */
  public static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    public BadRequest(String message) {
      super(message);
    }
  }

  public record Switchover(Endpoint target, long timeoutMillis) {}

  /** A promotion always carries its guard (replication id, minimum offset) and its deadline. */
  public static PromoteRequest promote(String body) throws BadRequest {
    PromoteRequest r = parse(requireBody(body), PromoteRequest.class);
    if (r.expectedReplId() == null || r.expectedReplId().isBlank()) {
      throw new BadRequest("expectedReplId is required: a promotion is never unguarded");
    }
    if (r.minOffset() == null || r.minOffset() < 0) {
      throw new BadRequest(
          "minOffset is required and must not be negative: a promotion is never unguarded");
    }
    if (r.timeoutMillis() == null
        || r.timeoutMillis() < 1
        || r.timeoutMillis() > MAX_PROMOTE_TIMEOUT_MILLIS) {
      throw new BadRequest("timeoutMillis must be between 1 and " + MAX_PROMOTE_TIMEOUT_MILLIS);
    }
    return r;
  }

  /** A replication source: the endpoint and the pod of this cluster it must belong to. */
  public record Replicate(Endpoint primary, String primaryPod) {}

  public static Replicate replicate(String body, String ownIp, int ownPort, String cluster)
      throws BadRequest {
    ReplicateRequest r = parse(requireBody(body), ReplicateRequest.class);
    Endpoint primary = endpoint(r.host(), r.port());
    if (primary.host().equals(ownIp) && primary.port() == ownPort) {
      throw new BadRequest("an instance cannot replicate from itself");
    }
    if (r.primaryPod() == null
        || io.redisoperator.protocol.naming.ResourceNames.ordinalOf(cluster, r.primaryPod())
            .isEmpty()) {
      throw new BadRequest(
          "primaryPod must name a pod of cluster "
              + cluster
              + ": only those are replication sources");
    }
    return new Replicate(primary, r.primaryPod());
  }

  /** A peer from before ACL users to give the operator's users: a pod of this cluster. */
  public record LegacyUsers(Endpoint peer, String pod, String defaultPassword) {
    @Override
    public String toString() {
      return "LegacyUsers[" + pod + ", " + peer + "]";
    }
  }

  public static LegacyUsers legacyUsers(String body, String ownIp, int ownPort, String cluster)
      throws BadRequest {
    LegacyUsersRequest r = parse(requireBody(body), LegacyUsersRequest.class);
    Endpoint peer = endpoint(r.host(), r.port());
    if (peer.host().equals(ownIp) && peer.port() == ownPort) {
      throw new BadRequest("the peer is this instance itself");
    }
    if (r.pod() == null
        || io.redisoperator.protocol.naming.ResourceNames.ordinalOf(cluster, r.pod()).isEmpty()) {
      throw new BadRequest("pod must name a data pod of cluster " + cluster);
    }
    if (r.defaultPassword() == null || r.defaultPassword().isEmpty()) {
      throw new BadRequest("defaultPassword is required");
    }
    return new LegacyUsers(peer, r.pod(), r.defaultPassword());
  }

  public static String fenceReason(String body) throws BadRequest {
    if (body.isBlank()) {
      return "requested by the controller";
    }
    FenceRequest r = parse(body, FenceRequest.class);
    String reason =
        r.reason() == null || r.reason().isBlank() ? "requested by the controller" : r.reason();
    if (reason.length() > MAX_REASON_LENGTH) {
      throw new BadRequest("reason is longer than " + MAX_REASON_LENGTH + " characters");
    }
    return reason;
  }

  public static Switchover switchover(String body) throws BadRequest {
    SwitchoverRequest r = parse(requireBody(body), SwitchoverRequest.class);
    Endpoint target = endpoint(r.targetHost(), r.targetPort());
    if (r.timeoutMillis() < 1 || r.timeoutMillis() > MAX_SWITCHOVER_TIMEOUT_MILLIS) {
      throw new BadRequest("timeoutMillis must be between 1 and " + MAX_SWITCHOVER_TIMEOUT_MILLIS);
    }
    return new Switchover(target, r.timeoutMillis());
  }

  private static Endpoint endpoint(String host, int port) throws BadRequest {
    try {
      return new Endpoint(host, port);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
  }

  private static String requireBody(String body) throws BadRequest {
    if (body.isBlank()) {
      throw new BadRequest("a JSON body is required");
    }
    return body;
  }

  private static <T> T parse(String body, Class<T> type) throws BadRequest {
    try {
      T value = STRICT.readValue(body, type);
      if (value == null) {
        throw new BadRequest("a JSON object is required");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new BadRequest("malformed " + type.getSimpleName() + ": " + e.getOriginalMessage());
    }
  }
}
