package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.agent.SelfFencing;
import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.fault.Link;
import io.redisoperator.sandbox.network.PortForwarder;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The real agent (operator jar, run by the kubelet, started by the real controller) talks to the
 * API server only through its pod's endpoint, so cutting {@link Link#API_SERVER} really cuts it
 * off: its traffic stops until healed, and cut off from the controller as well it fences itself for
 * lack of contact, without reading any status; once the API server is reachable again its own read
 * lifts the fence, the controller still cut off.
 */
class AgentApiServerPartitionIT extends SandboxIT {
  private static final String CLUSTER = "apicut";
  private static final String POD = CLUSTER + "-0";
  private static final String MANIFEST =
      String.join(
          "\n",
          "apiVersion: redis.io/v1",
          "kind: RedisCluster",
          "metadata: {name: " + CLUSTER + ", namespace: default}",
          "spec: {instances: 1, imageName: 'redis:7.2', storage: {type: pvc, size: 1Gi}}");

  @Test
  void aCutAgentReachesTheApiServerNoMoreAndSelfFencesUntilHealed() throws Exception {
    FaultInjector faults = sandbox.faults();
    Optional<String> unavailable = faults.partitionUnavailableReason();
    if (unavailable.isPresent()) {
      System.out.println("AgentApiServerPartitionIT skipped: " + unavailable.get());
    }
    assumeTrue(unavailable.isEmpty(), () -> "partitions unavailable: " + unavailable.orElse(""));
    sandbox.startController();
    client
        .load(new ByteArrayInputStream(MANIFEST.getBytes(StandardCharsets.UTF_8)))
        .items()
        .forEach(object -> client.resource(object).create());
    ClusterWait.awaitHealthy(client, "default", CLUSTER, Duration.ofMinutes(3));
    Pod pod = client.pods().inNamespace("default").withName(POD).get();
    Path agentLog = agentLog(pod);
    // The agent read the API server through its pod's endpoint at boot. A healthy lone primary
    // makes no further reads while the controller polls it (SelfFencingPolicy.needsApiRead), so
    // that first traffic is the evidence the path was in use before the cut.
    PortForwarder.Traffic atStart = traffic();
    assertTrue(
        atStart.bytesFromClients() > 0 && atStart.bytesToClients() > 0,
        () -> "the agent reached the API server through its endpoint: " + atStart);

    // The controller's link stays cut until the agent has read the API server again: a controller
    // that reaches the fenced primary first lifts its fence itself (an unfence request), and the
    // agent then has no reason to read, so healing both links at once proves nothing about the
    // agent's own path.
    try (FaultInjector.Partition fromController =
        faults.isolate("default", POD, EnumSet.of(Link.CONTROLLER))) {
      PortForwarder.Traffic before;
      try (FaultInjector.Partition fromApiServer =
          faults.isolate("default", POD, EnumSet.of(Link.API_SERVER))) {
        before =
            TestPods.settled(AgentApiServerPartitionIT::traffic, "what was in flight when cut");
        TestPods.eventually(
            Duration.ofMillis(SelfFencing.promotionSafeAfterMillis() + 5000),
            () -> read(agentLog).contains("self-fenced: no contact with the API server"),
            "the agent to self-fence");
        PortForwarder.Traffic during = traffic();
        System.out.println(
            "agent-api-partition: cut before=" + before + " after self-fence=" + during);
        assertEquals(before, during, "nothing from the cut agent reaches the API server");
        assertFalse(
            read(agentLog).contains("listed in status.fencedInstances"),
            "the fence comes from the isolation, not from a status the agent could read");
      }
      awaitMoreTraffic(before);
      TestPods.eventually(
          Duration.ofSeconds(10),
          () -> read(agentLog).contains("self-fence lifted"),
          "the agent's own read to lift its self-fence");
      System.out.println("agent-api-partition: healed now=" + traffic());
    }
  }

  private static PortForwarder.Traffic traffic() {
    return sandbox
        .kubelet()
        .apiServerTraffic("default", POD)
        .orElseThrow(() -> new AssertionError("pod " + POD + " has no API server endpoint"));
  }

  private static void awaitMoreTraffic(PortForwarder.Traffic than) {
    TestPods.eventually(
        Duration.ofSeconds(30),
        () ->
            traffic().bytesFromClients() > than.bytesFromClients()
                && traffic().bytesToClients() > than.bytesToClients(),
        "API traffic of the agent");
  }

  /**
   * The kubelet's log of the pod's container ({@code <logs>/<ns>_<pod>_<uid suffix>/redis.log}).
   */
  private static Path agentLog(Pod pod) throws IOException {
    String uid = pod.getMetadata().getUid();
    String dir = "default_" + POD + "_" + uid.substring(Math.max(0, uid.length() - 8));
    Path log = TestPods.logsDir().resolve(dir).resolve("redis.log");
    TestPods.eventually(Duration.ofSeconds(5), () -> Files.exists(log), log.toString());
    return log;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
