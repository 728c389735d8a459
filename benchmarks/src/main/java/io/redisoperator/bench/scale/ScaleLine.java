package io.redisoperator.bench.scale;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The benchmark's result line and its validity statement; pure. */
final class ScaleLine {
  private ScaleLine() {}

  /**
   * What one run measured (seconds and milliseconds as the line names them; negative: not
   * measured). {@code restartAllPolledSeconds} is the graceful restart (SIGTERM, as a rollout stops
   * the pod: the Lease is released), {@code restartAfterCrashSeconds} the crash (SIGKILL: the new
   * controller first waits for the old Lease to run out); {@code restartWrites} the controller's
   * API writes (Lease apart) over both restarts.
   */
  record Figures(
      int clusters,
      int pods,
      int objectsPerCluster,
      double apiFloorSeconds,
      double allReadySeconds,
      double steadyCpuCores,
      long heapUsedMb,
      double apiWritesPerSecond,
      long changeSeenP99Millis,
      long failoverUnderLoadMillis,
      double restartAllPolledSeconds,
      double restartAfterCrashSeconds,
      long restartWrites) {}

  /**
   * What says whether the API server and the fleet kept up, and the Lease renewals counted apart.
   * {@code window}: what the CPU shares and rates cover ({@code steady}, or {@code start-up} in a
   * start-up-only run). {@code othersCores}: how many cores the API server and the fleet were
   * pinned to, away from the controller's (0: not pinned). {@code nodes}: the fleet's node
   * heartbeats over the whole run. {@code fleetPauses}: the fleet's collections in the window.
   */
  record Validity(
      String apiServer,
      String window,
      int controllerCpu,
      int othersCores,
      double apiServerCpuCores,
      double fleetCpuCores,
      int podsServed,
      int podsExpected,
      double leaseWritesPerSecond,
      double statusRequestsPerSecond,
      NodeHeartbeats nodes,
      FleetPauses fleetPauses,
      double loadAverage) {

    /** Below this share of a core a process is not what limits the run. */
    static final double SATURATED_CORES = 0.8;

    List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (apiServerCpuCores >= SATURATED_CORES) {
        problems.add("API server busy (" + format(apiServerCpuCores) + " cores)");
      }
      if (fleetCpuCores >= SATURATED_CORES) {
        problems.add("fleet busy (" + format(fleetCpuCores) + " cores)");
      }
      if (othersCores > 0 && apiServerCpuCores + fleetCpuCores >= SATURATED_CORES * othersCores) {
        problems.add(
            "API server and fleet together busy ("
                + format(apiServerCpuCores + fleetCpuCores)
                + " cores of the "
                + othersCores
                + " they are pinned to)");
      }
      if (podsServed < podsExpected) {
        problems.add("fleet served " + podsServed + " of " + podsExpected + " pods");
      }
      if (fleetPauses.pausesOverOverdue() > 0) {
        problems.add(
            "fleet paused up to "
                + fleetPauses.longestMillis()
                + " ms for its collections, "
                + fleetPauses.pausesOverOverdue()
                + " past the controller's "
                + FleetPauses.CONTROLLER_OVERDUE.toMillis()
                + " ms overdue mark: every agent answered late");
      }
      if (nodes.nodesJudgedUnreachable() > 0 || nodes.podsMarkedNotReady() > 0) {
        problems.add(
            nodes.nodesJudgedUnreachable()
                + " fleet nodes judged unreachable, "
                + nodes.podsMarkedNotReady()
                + " pods marked not Ready by the node lifecycle controller (Lease renewals up to "
                + format(nodes.leaseGapMaxSeconds())
                + " s apart)");
      }
      return problems;
    }
  }

  /**
   * The start-up alone ({@code all_ready_s}) and each process's share of a core over it: whether
   * the controller's core was saturated, and whether the API server (etcd included) or the fleet
   * was what it waited for.
   */
  record StartUp(
      int clusters,
      double apiFloorSeconds,
      double allReadySeconds,
      double controllerCpuCores,
      double fleetCpuCores,
      double apiServerCpuCores,
      long controllerWrites,
      double loadAverage) {}

  static String format(StartUp s) {
    return "scale-start-up: clusters="
        + s.clusters()
        + " api_floor_s="
        + format(s.apiFloorSeconds())
        + " all_ready_s="
        + format(s.allReadySeconds())
        + " ratio="
        + format(s.allReadySeconds() / s.apiFloorSeconds())
        + " controller_cpu_cores="
        + format(s.controllerCpuCores())
        + " fleet_cpu_cores="
        + format(s.fleetCpuCores())
        + " api_server_cpu_cores="
        + format(s.apiServerCpuCores())
        + " controller_writes="
        + s.controllerWrites()
        + " load_avg="
        + format(s.loadAverage());
  }

  /**
   * One restart in detail: the times of its steps from the signal, then what the new controller did
   * until every pod was polled (passes, polls, CPU) and the fleet's share of a core meanwhile, and
   * the writes counted for {@code restart_writes}.
   */
  static String format(int clusters, LoadProbes.Restart r, double loadAverage) {
    return "scale-restart: clusters="
        + clusters
        + " restart="
        + (r.graceful() ? "sigterm" : "sigkill")
        + " stop_s="
        + format(r.stopSeconds())
        + " ready_s="
        + format(r.readySeconds())
        + " lease_s="
        + format(r.leaseSeconds())
        + " all_polled_s="
        + format(r.allPolledSeconds())
        + " passes="
        + orNa(r.passes())
        + " polls="
        + orNa(r.polls())
        + " polls_over_250ms="
        + orNa(r.pollsOver250ms())
        + " polls_over_800ms="
        + orNa(r.pollsOver800ms())
        + " controller_cpu_s="
        + format(r.controllerCpuSeconds())
        + " fleet_cpu_cores="
        + format(r.fleetCpuCores())
        + " writes="
        + orNa(r.writes())
        + " load_avg="
        + format(loadAverage);
  }

  /**
   * The controller's memory outside what {@code heap_used_mb} counts, {@code at} a moment of the
   * run: {@code all-ready}, the end of the {@code steady} window (before its full collection), or a
   * restart's controller once every pod was polled ({@code sigterm-restart}, {@code
   * sigkill-restart}).
   */
  static String format(int clusters, String at, ControllerMemory m) {
    return "scale-memory: clusters="
        + clusters
        + " at="
        + at
        + " rss_mb="
        + mib(m.rssKb())
        + " peak_rss_mb="
        + mib(m.peakRssKb())
        + " code_cache_mb="
        + mib(m.codeCacheKb());
  }

  private static String mib(long kib) {
    return kib < 0 ? "NA" : Long.toString(Math.round(kib / 1024.0));
  }

  static String format(Figures f) {
    return "scale: clusters="
        + f.clusters()
        + " pods="
        + f.pods()
        + " objects_per_cluster="
        + f.objectsPerCluster()
        + " api_floor_s="
        + format(f.apiFloorSeconds())
        + " all_ready_s="
        + format(f.allReadySeconds())
        + " steady_cpu_cores="
        + format(f.steadyCpuCores())
        + " heap_used_mb="
        + orNa(f.heapUsedMb())
        + " api_writes_per_s_steady="
        + format(f.apiWritesPerSecond())
        + " change_seen_p99_ms="
        + orNa(f.changeSeenP99Millis())
        + " failover_under_load_ms="
        + orNa(f.failoverUnderLoadMillis())
        + " restart_all_polled_s="
        + format(f.restartAllPolledSeconds())
        + " restart=sigterm restart_after_crash_s="
        + format(f.restartAfterCrashSeconds())
        + " restart_writes="
        + orNa(f.restartWrites());
  }

  static String format(Validity v) {
    List<String> problems = v.problems();
    return "scale-validity: api_server="
        + v.apiServer()
        + " window="
        + v.window()
        + " controller_pinned="
        + (v.controllerCpu() < 0 ? "no" : "cpu" + v.controllerCpu())
        + (v.othersCores() > 0 ? " others_cores=" + v.othersCores() : "")
        + " api_server_cpu_cores="
        + format(v.apiServerCpuCores())
        + " fleet_cpu_cores="
        + format(v.fleetCpuCores())
        + " pods_served="
        + v.podsServed()
        + "/"
        + v.podsExpected()
        + " lease_writes_per_s="
        + format(v.leaseWritesPerSecond())
        + " agent_status_requests_per_s="
        + format(v.statusRequestsPerSecond())
        + " lease_gap_max_s="
        + format(v.nodes().leaseGapMaxSeconds())
        + " nodes_judged_unreachable="
        + v.nodes().nodesJudgedUnreachable()
        + " pods_marked_not_ready="
        + v.nodes().podsMarkedNotReady()
        + " fleet_gc_pause_max_ms="
        + orNa(v.fleetPauses().longestMillis())
        + " load_avg="
        + format(v.loadAverage())
        + (problems.isEmpty()
            ? " valid=yes (API server and fleet not the bottleneck, fleet nodes healthy)"
            : " valid=no (" + String.join("; ", problems) + ")");
  }

  /** The nearest-rank percentile; -1 for no samples. */
  static long percentile(List<Long> samples, int p) {
    if (samples.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static String format(double value) {
    return value < 0 ? "NA" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String orNa(long value) {
    return value < 0 ? "NA" : Long.toString(value);
  }
}
