package io.redisoperator.sandbox.kubelet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.sandbox.api.ApiServer;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Node heartbeats keep their period whatever else waits: a status write that hangs, or one node's
 * renewal that hangs, delays no other node's Lease renewals.
 */
class NodeRegistrationTest {
  private static final Duration RENEW = Duration.ofMillis(100);
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  private final CountDownLatch released = new CountDownLatch(1);
  private NodeRegistration registration;

  /** Records the renewals; blocks the status writes and n1's renewals once started, if asked. */
  private final class RecordingApi implements NodeApi {
    final Map<String, AtomicInteger> renewals = new ConcurrentHashMap<>();
    final boolean blockStatus;
    final String blockedNode;
    volatile boolean started;

    RecordingApi(boolean blockStatus, String blockedNode) {
      this.blockStatus = blockStatus;
      this.blockedNode = blockedNode;
    }

    @Override
    public void register(Node node) {}

    @Override
    public void writeStatus(String node, NodeStatus status) {
      if (started && blockStatus) {
        hang();
      }
    }

    @Override
    public void renewLease(String node, LeaseSpec spec) {
      if (started && node.equals(blockedNode)) {
        hang();
      }
      renewals.computeIfAbsent(node, n -> new AtomicInteger()).incrementAndGet();
    }

    int renewals(String node) {
      return renewals.getOrDefault(node, new AtomicInteger()).get();
    }
  }

  @AfterEach
  void stop() {
    released.countDown();
    if (registration != null) {
      registration.close();
    }
  }

  @Test
  void renewalsKeepTheirPeriodWhileAStatusWriteHangs() {
    RecordingApi api = new RecordingApi(true, null);
    start(api, Duration.ofMillis(50));

    await().atMost(Duration.ofSeconds(10)).until(() -> api.renewals("n3") >= 20);
    // A status write hangs since the first period; the renewals went on at theirs.
    assertTrue(registration.leaseGapMaxMillis() < 2_000, registration.leaseGapMaxMillis() + " ms");
  }

  @Test
  void oneNodesHangingRenewalDelaysNoOtherNode() {
    RecordingApi api = new RecordingApi(false, "n1");
    start(api, Duration.ofSeconds(60));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.renewals("n2") >= 20 && api.renewals("n3") >= 20);
    assertEquals(1, api.renewals("n1")); // the registration's own, before the heartbeats
  }

  @Test
  void aRenewalCreatesTheLeaseOnceThenPatchesItsRenewTime() {
    ApiServer server = ApiServer.start("127.0.0.1", 0, () -> "10.96.0.10");
    try (KubernetesClient client = server.newClient()) {
      FabricNodeApi api = new FabricNodeApi(client);
      ZonedDateTime t0 = ZonedDateTime.parse("2026-12-06T02:00:00.123456Z");
      api.renewLease("n1", spec(t0));
      api.renewLease("n1", spec(t0.plusSeconds(10)));

      Lease lease =
          client.leases().inNamespace(NodeRegistration.LEASE_NAMESPACE).withName("n1").get();
      assertEquals("n1", lease.getSpec().getHolderIdentity());
      assertEquals(t0.plusSeconds(10).toInstant(), lease.getSpec().getRenewTime().toInstant());
    } finally {
      server.close();
    }
  }

  private static LeaseSpec spec(ZonedDateTime renewTime) {
    return new LeaseSpecBuilder()
        .withHolderIdentity("n1")
        .withLeaseDurationSeconds(NodeRegistration.LEASE_DURATION_SECONDS)
        .withRenewTime(renewTime)
        .build();
  }

  private void start(RecordingApi api, Duration statusPeriod) {
    registration =
        new NodeRegistration(api, NODES, "127.0.0.1", Clock.systemUTC(), 110, RENEW, statusPeriod);
    registration.start();
    api.started = true;
  }

  private void hang() {
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
