package io.redisoperator.bench.scale;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.sandbox.SandboxConfig;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code make bench-scale CLUSTERS=N}: the real controller (its own process, pinned to one core)
 * managing N three-instance RedisClusters on the sandbox's real control plane, their pods simulated
 * by the fleet (its own process). Measures the API floor, the time to all Healthy, a steady window
 * (controller CPU, heap after a full GC, its API writes from the audit log), how fast a simulated
 * agent's change shows in the status, one failover under load, and a controller restart until every
 * pod has been polled again. Prints one {@code scale:} line and one {@code scale-validity:} line,
 * and before them the start-up's, each restart's and the controller's memory ({@code
 * scale-memory:}) lines.
 */
@Command(
    name = "bench-scale",
    mixinStandardHelpOptions = true,
    description = "One operator managing N RedisClusters of simulated pods, measured.")
public final class ScaleBench implements Callable<Integer> {
  /** The controller's API request timeout, and the floor client's. */
  private static final int REQUEST_TIMEOUT_MILLIS = 60_000;

  private static final Logger log = LoggerFactory.getLogger(ScaleBench.class);
  private static final String PILOT_NAMESPACE = "scale-pilot";
  private static final String PILOT = "pilot";

  /** After a restart has polled every pod, how long its writes are still counted. */
  private static final Duration RESTART_SETTLE = Duration.ofSeconds(15);

  @Option(
      names = "--clusters",
      defaultValue = "1000",
      description = "RedisClusters (default: ${DEFAULT-VALUE}).")
  int clusters;

  @Option(
      names = "--steady-seconds",
      defaultValue = "120",
      description = "The steady window, resyncs included (default: ${DEFAULT-VALUE}).")
  int steadySeconds;

  @Option(
      names = "--changes",
      defaultValue = "20",
      description = "Agent changes timed (default: ${DEFAULT-VALUE}).")
  int changes;

  @Option(
      names = "--controller-cpu",
      defaultValue = "-1",
      description =
          "Core the controller is pinned to once ready, the API server and the fleet to the others"
              + " (-1: nothing pinned; default: ${DEFAULT-VALUE}).")
  int controllerCpu;

  @Option(
      names = "--controller-heap",
      defaultValue = "512m",
      description = "The controller's -Xmx.")
  String controllerHeap;

  @Option(
      names = "--fleet-heap",
      defaultValue = "1g",
      description =
          "The fleet's -Xmx (default: ${DEFAULT-VALUE}; at 1000 clusters 1g was full, a full"
              + " collection every 2 s, the agents' answers timing out).")
  String fleetHeap;

  @Option(
      names = "--status-long-poll",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Long-poll the serving replicas' status, the controller's default;"
              + " --no-status-long-poll polls every instance at the interval.")
  boolean statusLongPoll;

  @Option(
      names = "--operator-jar",
      description = "dist/redis-operator.jar (default: found from the working directory).")
  Path operatorJar;

  @Option(
      names = "--controller-jvm-flag",
      description =
          "An extra JVM flag of the controller (repeatable), e.g. -DLOG_LEVEL=DEBUG or a JIT flag"
              + " being measured.")
  List<String> extraControllerFlags = new ArrayList<>();

  @Option(
      names = "--start-up-only",
      description =
          "Stop after all_ready_s (no steady window, probes or restart): one scale-start-up: line,"
              + " for iterating on start-up.")
  boolean startUpOnly;

  @Option(
      names = "--restart-only",
      description =
          "After all_ready_s, only the two restarts (no steady window, changes or failover): the"
              + " scale: line with NA for what was skipped, for iterating on restarts.")
  boolean restartOnly;

  @Option(
      names = "--ready-timeout-seconds",
      defaultValue = "1800",
      description = "Give up waiting for Healthy.")
  long readyTimeoutSeconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScaleBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path jar = operatorJar != null ? operatorJar : SandboxConfig.findOperatorJar();
    List<String> controllerFlags =
        ScaleJvmFlags.controller(
            controllerHeap, REQUEST_TIMEOUT_MILLIS, statusLongPoll, extraControllerFlags);
    log.info("controller JVM flags: {}", String.join(" ", controllerFlags));
    List<String> fleetFlags = ScaleJvmFlags.fleet(fleetHeap);
    ControllerPlacement placement = new ControllerPlacement(controllerCpu);
    try (ScaleEnvironment env =
        ScaleEnvironment.start(
            SandboxConfig.defaultStateRoot(), jar, controllerFlags, fleetFlags)) {
      KubernetesClient client = env.client();
      placement.start(env);
      // The pilot shows which objects the operator creates for one cluster: the floor creates
      // exactly those.
      ScaleWorkload.namespace(client, PILOT_NAMESPACE);
      client.resource(ScaleWorkload.cluster(PILOT_NAMESPACE, PILOT)).create();
      ClusterWait.awaitHealthy(client, PILOT_NAMESPACE, PILOT, Duration.ofMinutes(10));
      List<HasMetadata> templates = ApiFloor.templates(client, PILOT_NAMESPACE, PILOT);
      client.resources(RedisCluster.class).inNamespace(PILOT_NAMESPACE).withName(PILOT).delete();
      env.controller().stop(Duration.ofSeconds(10));
      ApiFloor.Result floor;
      ScaleWorkload.namespace(client, ApiFloor.NAMESPACE);
      // The floor's client is the controller's identity, and waits for an answer as long as the
      // controller's does: with fabric8's 10 s a slow Service create (its cluster IP allocated)
      // failed the whole run.
      try (KubernetesClient floorClient = env.operatorClient(REQUEST_TIMEOUT_MILLIS)) {
        floor = ApiFloor.measure(floorClient, templates, PILOT, clusters);
      }
      log.info(
          "API floor: {} objects created in {} s, deleted in {} s",
          floor.objects(),
          floor.createSeconds(),
          floor.deleteSeconds());

      ScaleWorkload.namespace(client, ScaleWorkload.NAMESPACE);
      SharedIndexInformer<RedisCluster> watched =
          client.resources(RedisCluster.class).inNamespace(ScaleWorkload.NAMESPACE).inform();
      placement.start(env);
      long controllerPid = env.controller().pid().orElseThrow();
      List<Long> readyApiPids = env.apiServerPids();
      double[] readyCpu0 = {
        ProcessStats.cpuSeconds(controllerPid),
        ProcessStats.cpuSeconds(env.fleet().pid()),
        readyApiPids.stream().mapToDouble(ProcessStats::cpuSeconds).sum()
      };
      long readyStatusRequests0 = env.fleet().stats().path("statusRequests").asLong();
      Instant readyStartAt = Instant.now();
      long readyStart = System.nanoTime();
      ScaleWorkload.createAll(client, clusters);
      ClusterStoreWait.awaitStore(
          watched,
          store -> store.size() == clusters && store.stream().allMatch(ClusterWait::isHealthy),
          Duration.ofSeconds(readyTimeoutSeconds));
      double allReady = (System.nanoTime() - readyStart) / 1e9;
      log.info("all {} clusters Healthy after {} s", clusters, allReady);
      // For a start-up-only run's validity, over the start-up alone.
      double startUpFleetCores =
          (ProcessStats.cpuSeconds(env.fleet().pid()) - readyCpu0[1]) / allReady;
      double startUpApiServerCores =
          (readyApiPids.stream().mapToDouble(ProcessStats::cpuSeconds).sum() - readyCpu0[2])
              / allReady;
      double startUpStatusRequestsPerSecond =
          (env.fleet().stats().path("statusRequests").asLong() - readyStatusRequests0) / allReady;
      // Where the start-up's time went: each process's share of a core over it, the controller's
      // writes, and each cluster's steps.
      AuditCounts startUpWrites =
          AuditCounts.read(env.controlPlane().auditLog(), readyStartAt, Instant.now());
      System.out.println(
          ScaleLine.format(
              new ScaleLine.StartUp(
                  clusters,
                  floor.createSeconds(),
                  allReady,
                  (ProcessStats.cpuSeconds(controllerPid) - readyCpu0[0]) / allReady,
                  (ProcessStats.cpuSeconds(env.fleet().pid()) - readyCpu0[1]) / allReady,
                  (readyApiPids.stream().mapToDouble(ProcessStats::cpuSeconds).sum() - readyCpu0[2])
                      / allReady,
                  startUpWrites.nonLeaseWrites(),
                  loadAverage())));
      System.out.println(
          StartUpTimeline.read(env.controlPlane().auditLog(), ScaleWorkload.NAMESPACE, readyStartAt)
              .format());
      log.info("start-up writes by resource: {}", startUpWrites.byResource());
      // The API server's slow path (Service creates, their cluster IPs allocated one at a time)
      // and its queues, in the floor and in the start-up.
      System.out.println(
          ServiceCreates.read(
                  env.controlPlane().auditLog(),
                  "floor",
                  ApiFloor.NAMESPACE,
                  AuditCounts.CONTROLLER_USER)
              .format());
      System.out.println(
          ServiceCreates.read(
                  env.controlPlane().auditLog(),
                  "start-up",
                  ScaleWorkload.NAMESPACE,
                  AuditCounts.CONTROLLER_USER)
              .format());
      System.out.println(
          ScaleLine.format(
              clusters, "all-ready", ControllerMemory.read(env.jcmd(), controllerPid)));
      if (startUpOnly) {
        // The validity of the start-up alone: its CPU shares and rates, the node heartbeats.
        System.out.println(
            ScaleLine.format(
                new ScaleLine.Validity(
                    "kubernetes",
                    "start-up",
                    controllerCpu,
                    placement.othersCores(),
                    startUpApiServerCores,
                    startUpFleetCores,
                    env.fleet().stats().path("pods").asInt(),
                    clusters * ScaleWorkload.INSTANCES,
                    startUpWrites.leaseWrites() / allReady,
                    startUpStatusRequestsPerSecond,
                    nodeHeartbeats(env),
                    FleetPauses.read(env.fleetGcLog(), readyStartAt, Instant.now()),
                    loadAverage())));
        watched.close();
        return 0;
      }

      double steadyCpu = -1;
      long heapMb = -1;
      double writesPerSecond = -1;
      long changeSeenP99 = -1;
      long failover = -1;
      LoadProbes probes = new LoadProbes(env, watched, clusters);
      Steady steady = null;
      if (!restartOnly) {
        steady = steady(env, controllerPid);
        System.out.println(ScaleLine.format(clusters, "steady", steady.memory()));
        steadyCpu = steady.controllerCpuCores();
        heapMb = steady.heapMb();
        writesPerSecond = steady.writes().nonLeaseWrites() / steady.seconds();
        changeSeenP99 = ScaleLine.percentile(probes.changeSeen(changes), 99);
        failover = probes.failover();
      } else {
        Thread.sleep(15_000); // the start-up's last writes settle, as before a steady window
      }
      // A rollout (SIGTERM: the Lease released) first, then a crash (SIGKILL: its Lease runs out).
      Duration restartTimeout = Duration.ofSeconds(Math.max(600, clusters));
      LoadProbes.Restart graceful =
          probes.restartAllPolled(placement, true, restartTimeout, RESTART_SETTLE);
      System.out.println(ScaleLine.format(clusters, graceful, loadAverage()));
      System.out.println(ScaleLine.format(clusters, "sigterm-restart", graceful.memory()));
      LoadProbes.Restart crash =
          probes.restartAllPolled(placement, false, restartTimeout, RESTART_SETTLE);
      System.out.println(ScaleLine.format(clusters, crash, loadAverage()));
      System.out.println(ScaleLine.format(clusters, "sigkill-restart", crash.memory()));

      int podsServed = env.fleet().stats().path("pods").asInt();
      System.out.println(
          ScaleLine.format(
              new ScaleLine.Figures(
                  clusters,
                  clusters * ScaleWorkload.INSTANCES,
                  templates.size(),
                  floor.createSeconds(),
                  allReady,
                  steadyCpu,
                  heapMb,
                  writesPerSecond,
                  changeSeenP99,
                  failover,
                  graceful.allPolledSeconds(),
                  crash.allPolledSeconds(),
                  graceful.writes() + crash.writes())));
      if (steady == null) {
        watched.close();
        return 0;
      }
      System.out.println(
          ScaleLine.format(
              new ScaleLine.Validity(
                  "kubernetes",
                  "steady",
                  controllerCpu,
                  placement.othersCores(),
                  steady.apiServerCpuCores(),
                  steady.fleetCpuCores(),
                  podsServed,
                  clusters * ScaleWorkload.INSTANCES + 0,
                  steady.writes().leaseWrites() / steady.seconds(),
                  steady.statusRequestsPerSecond(),
                  nodeHeartbeats(env),
                  steady.fleetPauses(),
                  loadAverage())));
      log.info("steady writes by resource: {}", steady.writes().byResource());
      watched.close();
    }
    return 0;
  }

  /** What the steady window measured. */
  private record Steady(
      double seconds,
      double controllerCpuCores,
      double fleetCpuCores,
      double apiServerCpuCores,
      double statusRequestsPerSecond,
      long heapMb,
      ControllerMemory memory,
      AuditCounts writes,
      FleetPauses fleetPauses) {}

  /**
   * Nothing changes; resyncs and polls go on. Then the controller's memory, and its heap after a
   * full GC.
   */
  private Steady steady(ScaleEnvironment env, long controllerPid) throws Exception {
    Thread.sleep(15_000);
    Instant windowStart = Instant.now();
    double cpu0 = ProcessStats.cpuSeconds(controllerPid);
    double fleetCpu0 = ProcessStats.cpuSeconds(env.fleet().pid());
    List<Long> apiPids = env.apiServerPids();
    double apiCpu0 = apiPids.stream().mapToDouble(ProcessStats::cpuSeconds).sum();
    long status0 = env.fleet().stats().path("statusRequests").asLong();
    long t0 = System.nanoTime();
    Thread.sleep(steadySeconds * 1000L);
    double window = (System.nanoTime() - t0) / 1e9;
    double steadyCpu = (ProcessStats.cpuSeconds(controllerPid) - cpu0) / window;
    double fleetCpu = (ProcessStats.cpuSeconds(env.fleet().pid()) - fleetCpu0) / window;
    double apiCpu =
        (apiPids.stream().mapToDouble(ProcessStats::cpuSeconds).sum() - apiCpu0) / window;
    double statusRate = (env.fleet().stats().path("statusRequests").asLong() - status0) / window;
    Instant windowEnd = Instant.now();
    // Before the full collection, which may shrink the committed heap.
    ControllerMemory memory = ControllerMemory.read(env.jcmd(), controllerPid);
    long heapMb = ProcessStats.heapUsedAfterFullGcMb(env.jcmd(), controllerPid);
    log.info(
        "controller heap {} MiB after a full GC; live objects by class:\n{}",
        heapMb,
        ProcessStats.classHistogram(env.jcmd(), controllerPid, 40));
    AuditCounts writes = AuditCounts.read(env.controlPlane().auditLog(), windowStart, windowEnd);
    return new Steady(
        window,
        steadyCpu,
        fleetCpu,
        apiCpu,
        statusRate,
        heapMb,
        memory,
        writes,
        FleetPauses.read(env.fleetGcLog(), windowStart, windowEnd));
  }

  /** The fleet's node heartbeats over the whole run, and its own count of pods written back. */
  private static NodeHeartbeats nodeHeartbeats(ScaleEnvironment env) throws Exception {
    NodeHeartbeats nodes = NodeHeartbeats.read(env.controlPlane().auditLog(), Instant.now());
    log.info("fleet node heartbeats {}; fleet stats {}", nodes, env.fleet().stats());
    return nodes;
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return -1;
    }
  }
}
