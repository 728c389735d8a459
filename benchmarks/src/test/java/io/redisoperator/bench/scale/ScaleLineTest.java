package io.redisoperator.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleLineTest {
  @Test
  void theLineHasEveryKeyOfTheIssueInOrder() {
    String line =
        ScaleLine.format(
            new ScaleLine.Figures(
                10, 30, 17, 19.111, 128.69, 0.114, 53, 0, 1076, 1704, -1, 41.234, 0));
    assertEquals(
        "scale: clusters=10 pods=30 objects_per_cluster=17 api_floor_s=19.11 all_ready_s=128.69"
            + " steady_cpu_cores=0.11 heap_used_mb=53 api_writes_per_s_steady=0.00 change_seen_p99_ms=1076"
            + " failover_under_load_ms=1704 restart_all_polled_s=NA restart=sigterm"
            + " restart_after_crash_s=41.23 restart_writes=0",
        line);
  }

  @Test
  void theStartUpLineSaysWhichProcessBoundTheStartUp() {
    assertEquals(
        "scale-start-up: clusters=100 api_floor_s=6.71 all_ready_s=68.87 ratio=10.26"
            + " controller_cpu_cores=0.87 fleet_cpu_cores=0.43 api_server_cpu_cores=0.45"
            + " controller_writes=4100 load_avg=4.84",
        ScaleLine.format(new ScaleLine.StartUp(100, 6.71, 68.87, 0.871, 0.43, 0.449, 4100, 4.84)));
  }

  @Test
  void aBusyApiServerOrFleetOrMissingPodsMakeTheRunInvalid() {
    assertTrue(
        validity(-1, 0, 0.2, 0.1, 30, 30, 0.5)
            .endsWith("valid=yes (API server and fleet not the bottleneck, fleet nodes healthy)"));
    String busy = validity(1, 0, 0.9, 0.1, 29, 30, 0.5);
    assertTrue(busy.contains("controller_pinned=cpu1"));
    assertTrue(
        busy.contains("valid=no (API server busy (0.90 cores); fleet served 29 of 30 pods)"), busy);
  }

  @Test
  void anApiServerAndFleetSharingTheirCoresAreTheBottleneckTogether() {
    String shared = validity(1, 1, 0.5, 0.4, 30, 30, 0.5);
    assertTrue(shared.contains("controller_pinned=cpu1 others_cores=1"), shared);
    assertTrue(
        shared.contains(
            "valid=no (API server and fleet together busy (0.90 cores of the 1 they are pinned"
                + " to))"),
        shared);
    assertTrue(
        validity(1, 1, 0.3, 0.2, 30, 30, 0.5)
            .endsWith("valid=yes (API server and fleet not the bottleneck, fleet nodes healthy)"));
  }

  @Test
  void fleetNodesJudgedUnreachableMakeTheRunInvalid() {
    String healthy = validity(1, 1, 0.3, 0.2, 30, 30, 0.5);
    assertTrue(
        healthy.contains(
            "agent_status_requests_per_s=30.00 lease_gap_max_s=10.20 nodes_judged_unreachable=0"
                + " pods_marked_not_ready=0 fleet_gc_pause_max_ms=80 load_avg=2.00"),
        healthy);
    String unreachable =
        healthyShares("start-up", new NodeHeartbeats(31.5, 2, 57), new FleetPauses(80, 0));
    assertTrue(unreachable.startsWith("scale-validity: api_server=kubernetes window=start-up"));
    assertTrue(
        unreachable.endsWith(
            "valid=no (2 fleet nodes judged unreachable, 57 pods marked not Ready by the node"
                + " lifecycle controller (Lease renewals up to 31.50 s apart))"),
        unreachable);
  }

  private static String validity(
      int controllerCpu,
      int othersCores,
      double apiServerCpu,
      double fleetCpu,
      int served,
      int expected,
      double leaseWrites) {
    return ScaleLine.format(
        new ScaleLine.Validity(
            "kubernetes",
            "steady",
            controllerCpu,
            othersCores,
            apiServerCpu,
            fleetCpu,
            served,
            expected,
            leaseWrites,
            30,
            new NodeHeartbeats(10.2, 0, 0),
            new FleetPauses(80, 0),
            2));
  }

  /**
   * A run whose CPU shares and pods are healthy (controller pinned, API server and fleet 0.5 of
   * their core), so only {@code nodes} and {@code pauses} can make it invalid.
   */
  private static String healthyShares(String window, NodeHeartbeats nodes, FleetPauses pauses) {
    return ScaleLine.format(
        new ScaleLine.Validity(
            "kubernetes", window, 1, 1, 0.3, 0.2, 30, 30, 0.5, 30, nodes, pauses, 2));
  }

  @Test
  void aFleetPausedPastTheOverdueMarkMakesTheWindowInvalid() {
    String paused =
        healthyShares("steady", new NodeHeartbeats(10.2, 0, 0), new FleetPauses(1512, 2));
    assertTrue(paused.contains("pods_marked_not_ready=0 fleet_gc_pause_max_ms=1512 "), paused);
    assertTrue(
        paused.endsWith(
            "valid=no (fleet paused up to 1512 ms for its collections, 2 past the controller's 250"
                + " ms overdue mark: every agent answered late)"),
        paused);
  }

  @Test
  void aRestartLineSaysWhereItsTimeWent() {
    assertEquals(
        "scale-restart: clusters=100 restart=sigterm stop_s=0.61 ready_s=3.40 lease_s=3.52"
            + " all_polled_s=47.03 passes=1350 polls=NA polls_over_250ms=40 polls_over_800ms=7"
            + " controller_cpu_s=40.12 fleet_cpu_cores=0.31"
            + " writes=2273 load_avg=3.10",
        ScaleLine.format(
            100,
            new LoadProbes.Restart(
                true,
                47.031,
                0.609,
                3.4,
                3.52,
                2273,
                1350,
                -1,
                40,
                7,
                40.123,
                0.31,
                new ControllerMemory(1, 1, 1)),
            3.1));
  }

  @Test
  void threadsAreSummedByPoolAndMetricsCountersBySeries() {
    String dump =
        """
        "main" #1 prio=5 os_prio=0 cpu=27.13ms elapsed=2.80s tid=0x1 nid=0x29b3 waiting
        "C2 CompilerThread0" #7 daemon prio=9 os_prio=0 cpu=1500.50ms elapsed=2.71s tid=0x2 nid=0x3
        "C2 CompilerThread1" #17 daemon prio=9 os_prio=0 cpu=500.00ms elapsed=2.71s tid=0x2 nid=0x3
        "vert.x-eventloop-thread-0" #12 daemon prio=5 os_prio=0 cpu=2.50s elapsed=2.66s tid=0x3
        "VM Thread" os_prio=0 cpu=0.31ms elapsed=2.71s tid=0x00007f15ac0f4400 nid=0x29bd runnable
        """;
    var groups = ThreadCpu.byGroup(dump);
    assertEquals(
        List.of("vert.x-eventloop-thread-#", "C# CompilerThread#", "main", "VM Thread"),
        List.copyOf(groups.keySet()));
    assertEquals(2.0005, groups.get("C# CompilerThread#"), 1e-9);
    assertEquals(
        "vert.x-eventloop-thread-#=2.50s, C# CompilerThread#=2.00s", ThreadCpu.format(groups, 0.1));
    ControllerCounters counters =
        ControllerCounters.parse(
            """
            # TYPE redis_operator_reconcile_seconds summary
            redis_operator_reconcile_seconds_count 1350.0
            redis_operator_reconcile_seconds_sum 12.5
            redis_operator_agent_poll_seconds_bucket{le="0.111848106"} 90.0
            redis_operator_agent_poll_seconds_bucket{le="0.268435456"} 100.0
            redis_operator_agent_poll_seconds_bucket{le="0.894784851"} 115.0
            redis_operator_agent_poll_seconds_bucket{le="+Inf"} 120.0
            redis_operator_agent_poll_seconds_count{a="1"} 100.0
            redis_operator_agent_poll_seconds_count{a="2"} 20.0
            redis_operator_agent_poll_seconds_sum 6.0
            """);
    assertEquals(new ControllerCounters(1350, 120, 6.0, 20, 5), counters);
  }

  @Test
  void percentilesAreNearestRank() {
    assertEquals(-1, ScaleLine.percentile(List.of(), 99));
    assertEquals(5, ScaleLine.percentile(List.of(5L, 1L, 3L), 99));
    assertEquals(3, ScaleLine.percentile(List.of(5L, 1L, 3L, 4L), 50));
  }

  @Test
  void procStatAndHeapInfoAreParsed() {
    assertEquals(
        150 + 25,
        ProcessStats.parseCpuTicks(
            "123 (java (x)) S 1 2 3 0 -1 4194560 100 0 0 0 150 25 0 0 20 0 40 0 100 0 0"));
    assertEquals(
        1000 + 2000,
        ProcessStats.parseHeapUsedKb(
            """
         def new generation   total 9216K, used 1000K [0x1, 0x2, 0x3)
          eden space 8192K,  12% used [0x1, 0x2, 0x3)
         tenured generation   total 20480K, used 2000K [0x1, 0x2, 0x3)
         Metaspace       used 45334K, committed 45888K, reserved 1114112K
          class space    used 5459K, committed 5760K, reserved 1048576K
        """));
  }
}
