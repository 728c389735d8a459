package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.sandbox.controlplane.AuditLog;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sentinel mode under real RBAC: the sentinel agents follow their cluster's data pods through an
 * informer (a list and a watch of pods by label), which their Role must allow; every sentinel pod
 * becomes Ready and the API server refuses none of the agents' or the operator's requests.
 */
class SentinelOnKubernetesIT extends SandboxIT {
  private static final String CLUSTER = "watched";
  private static final String MANIFEST =
      String.join(
          "\n",
          "apiVersion: redis.io/v1",
          "kind: RedisCluster",
          "metadata: {name: " + CLUSTER + ", namespace: default}",
          "spec: {instances: 3, mode: sentinel, storage: {type: emptyDir}}");

  @Test
  void sentinelAgentsRunWithTheirRoleAndNothingIsRefused() throws Exception {
    sandbox.startController();
    client
        .load(new ByteArrayInputStream(MANIFEST.getBytes(StandardCharsets.UTF_8)))
        .items()
        .forEach(object -> client.resource(object).create());
    ClusterWait.awaitHealthy(client, "default", CLUSTER, Duration.ofMinutes(4));
    TestPods.eventually(
        Duration.ofMinutes(2),
        () -> {
          List<Pod> sentinels =
              client
                  .pods()
                  .inNamespace("default")
                  .withLabel(Labels.CLUSTER, CLUSTER)
                  .withLabel(Labels.ROLE, Labels.ROLE_SENTINEL)
                  .list()
                  .getItems();
          return sentinels.size() >= 3 && sentinels.stream().allMatch(TestPods::isReady);
        },
        "three Ready sentinel pods");
    List<AuditLog.Refusal> refused =
        new AuditLog(sandbox.controlPlane().orElseThrow().auditLog()).refusedWorkloadRequests();
    assertEquals(List.of(), refused);
  }
}
