package io.redisoperator.protocol.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicaInfo;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void statusRoundTrips() throws JsonProcessingException {
    InstanceStatus status =
        InstanceStatus.builder("cache-0")
            .role(InstanceRole.PRIMARY)
            .redisUp(true)
            .redisVersion("7.2.4")
            .masterReplId("abc")
            .replicationOffset(42L)
            .connectedReplicas(List.of(new ReplicaInfo("127.0.0.3", 6379, "online", 40L, 0L)))
            .restartCount(1)
            .configHash("h")
            .secretVersions(Map.of("auth", "v1"))
            .agentUptimeSeconds(10L)
            .build();
    String json = Json.mapper().writeValueAsString(status);
    assertEquals(status, Json.mapper().readValue(json, InstanceStatus.class));
    assertEquals(true, json.contains("\"role\":\"primary\""), json);
  }

  @Test
  void unknownFieldsAreRejected() {
    assertThrows(
        JsonProcessingException.class,
        () ->
            Json.mapper()
                .readValue("{\"host\":\"a\",\"port\":1,\"extra\":true}", ReplicateRequest.class));
  }

  @Test
  void wrongTypesAreRejected() {
    assertThrows(
        JsonProcessingException.class,
        () ->
            Json.mapper().readValue("{\"host\":\"a\",\"port\":\"6379\"}", ReplicateRequest.class));
    assertThrows(
        JsonProcessingException.class,
        () -> Json.mapper().readValue("{\"host\":\"a\",\"port\":null}", ReplicateRequest.class));
    assertThrows(
        JsonProcessingException.class,
        () ->
            Json.mapper()
                .readValue("{\"expectedReplId\":1,\"minOffset\":\"x\"}", PromoteRequest.class));
  }

  @Test
  void trailingGarbageIsRejected() {
    assertThrows(
        JsonProcessingException.class,
        () -> Json.mapper().readValue("{\"host\":\"a\",\"port\":1} {}", ReplicateRequest.class));
  }
}
