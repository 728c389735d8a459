package io.redisoperator.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.sandbox.SandboxConfig;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
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
 * pod has been polled again. Prints one {@code scale:} line and one {@code scale-validity:} line.
 */
@Command(
    name = "bench-scale",
    mixinStandardHelpOptions = true,
    description = "One operator managing N RedisClusters of simulated pods, measured.")
public final class ScaleBench implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ScaleBench.class);
  static final String NAMESPACE = "scale";
  private static final String PILOT_NAMESPACE = "scale-pilot";
  private static final String PILOT = "pilot";
  private static final int INSTANCES = 3;

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
      names = "--status-long-poll",
      description = "Run the controller with the replicas' status long-poll on.")
  boolean statusLongPoll;

  @Option(
      names = "--operator-jar",
      description = "dist/redis-operator.jar (default: found from the working directory).")
  Path operatorJar;

  @Option(
      names = "--ready-timeout-seconds",
      defaultValue = "1800",
      description = "Give up waiting for Healthy.")
  long readyTimeoutSeconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScaleBench()).execute(args));
  }

  static String clusterName(int i) {
    return String.format("c%04d", i);
  }

  @Override
  public Integer call() throws Exception {
    Path jar = operatorJar != null ? operatorJar : SandboxConfig.findOperatorJar();
    // fabric8's 10 s request timeout is too short for the first LISTs on a loaded shared machine
    // (the informers stop
    // and the controller exits); 60 s lets it start there. A quiet machine does not need it.
    List<String> controllerFlags =
        List.of(
            "-XX:+UseSerialGC",
            "-Xmx" + controllerHeap,
            "-Xss512k",
            "-Djava.net.preferIPv4Stack=true",
            "-Dkubernetes.request.timeout=60000",
            "-D" + "redisoperator.statusLongPoll=" + statusLongPoll);
    List<String> fleetFlags =
        List.of("-XX:+UseSerialGC", "-Xmx1g", "-Xss512k", "-Djava.net.preferIPv4Stack=true");
    try (ScaleEnvironment env =
        ScaleEnvironment.start(
            SandboxConfig.defaultStateRoot(), jar, controllerFlags, fleetFlags)) {
      KubernetesClient client = env.client();
      startController(env);
      // The pilot shows which objects the operator creates for one cluster: the floor creates
      // exactly those.
      namespace(client, PILOT_NAMESPACE);
      client.resource(cluster(PILOT_NAMESPACE, PILOT)).create();
      ClusterWait.awaitHealthy(client, PILOT_NAMESPACE, PILOT, Duration.ofMinutes(10));
      List<HasMetadata> templates = ApiFloor.templates(client, PILOT_NAMESPACE, PILOT);
      client.resources(RedisCluster.class).inNamespace(PILOT_NAMESPACE).withName(PILOT).delete();
      env.controller().stop(Duration.ofSeconds(10));
      ApiFloor.Result floor = ApiFloor.measure(client, templates, PILOT, clusters);
      log.info(
          "API floor: {} objects created in {} s, deleted in {} s",
          floor.objects(),
          floor.createSeconds(),
          floor.deleteSeconds());

      namespace(client, NAMESPACE);
      SharedIndexInformer<RedisCluster> watched =
          client.resources(RedisCluster.class).inNamespace(NAMESPACE).inform();
      startController(env);
      long controllerPid = env.controller().pid().orElseThrow();
      long readyStart = System.nanoTime();
      createAll(client);
      awaitStore(
          watched,
          store -> store.size() == clusters && store.stream().allMatch(ClusterWait::isHealthy),
          Duration.ofSeconds(readyTimeoutSeconds));
      double allReady = (System.nanoTime() - readyStart) / 1e9;
      log.info("all {} clusters Healthy after {} s", clusters, allReady);

      // Steady: nothing changes; resyncs and polls go on.
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
      long heapMb = ProcessStats.heapUsedAfterFullGcMb(env.jcmd(), controllerPid);
      AuditCounts writes = AuditCounts.read(env.controlPlane().auditLog(), windowStart, windowEnd);

      List<Long> changeSeen = changeSeen(env, watched);
      long failover = failover(env, watched);
      double restartPolled = restartAllPolled(env);

      int podsServed = env.fleet().stats().path("pods").asInt();
      System.out.println(
          ScaleLine.format(
              new ScaleLine.Figures(
                  clusters,
                  clusters * INSTANCES,
                  templates.size(),
                  floor.createSeconds(),
                  allReady,
                  steadyCpu,
                  heapMb,
                  writes.nonLeaseWrites() / window,
                  ScaleLine.percentile(changeSeen, 99),
                  failover,
                  restartPolled)));
      System.out.println(
          ScaleLine.format(
              new ScaleLine.Validity(
                  "kubernetes",
                  controllerCpu,
                  othersCores(),
                  apiCpu,
                  fleetCpu,
                  podsServed,
                  clusters * INSTANCES + 0,
                  writes.leaseWrites() / window,
                  statusRate,
                  loadAverage())));
      log.info("steady writes by resource: {}", writes.byResource());
      watched.close();
    }
    return 0;
  }

  /**
   * Starts the controller and, once it answers /readyz, pins it to its core. Pinned from its first
   * instruction, its start-up (JIT, informer lists) on a loaded two-core machine overran the
   * informers' sync timeout; its CPU time is measured per process either way.
   */
  private void startController(ScaleEnvironment env) throws Exception {
    env.controller().start();
    String readyz = env.controller().metricsUrl().replace("/metrics", "/readyz");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(readyz)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          break;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      if (!env.controller().isAlive()) {
        throw new IllegalStateException("the controller exited, see " + env.controller().log());
      }
      Thread.sleep(200);
    }
    if (controllerCpu >= 0) {
      ProcessStats.pin(env.controller().pid().orElseThrow(), Integer.toString(controllerCpu));
      String others = othersCpuList();
      if (!others.isEmpty()) {
        // The API server and the fleet stay off the controller's core, so that core is its own.
        for (long pid : env.apiServerPids()) {
          ProcessStats.pin(pid, others);
        }
        ProcessStats.pin(env.fleet().pid(), others);
      }
    }
  }

  /** The cores other than the controller's, as taskset lists them ("0,2,3"); empty on one core. */
  private String othersCpuList() {
    List<String> others = new ArrayList<>();
    for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors(); cpu++) {
      if (cpu != controllerCpu) {
        others.add(Integer.toString(cpu));
      }
    }
    return String.join(",", others);
  }

  private int othersCores() {
    return controllerCpu < 0 || othersCpuList().isEmpty() ? 0 : othersCpuList().split(",").length;
  }

  private void createAll(KubernetesClient client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(ApiFloor.CONCURRENCY);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < clusters; i++) {
        String name = clusterName(i);
        futures.add(pool.submit(() -> client.resource(cluster(NAMESPACE, name)).create()));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A replica's Redis dies, then starts again, in {@code changes} clusters spread over the fleet:
   * each time from the fleet's change to the RedisCluster status showing it (the instance's
   * redisUp).
   */
  private List<Long> changeSeen(ScaleEnvironment env, SharedIndexInformer<RedisCluster> watched)
      throws Exception {
    List<Long> samples = new ArrayList<>();
    int step = Math.max(1, clusters / Math.max(1, changes / 2));
    for (int i = 1; i < clusters && samples.size() < changes; i += step) {
      String name = clusterName(i);
      RedisCluster rc = watched.getStore().getByKey(NAMESPACE + "/" + name);
      String replica = replicaOf(rc);
      long start = System.nanoTime();
      env.fleet().killRedis(NAMESPACE, replica);
      awaitCluster(
          watched,
          name,
          c ->
              Boolean.FALSE.equals(
                  entry(c, replica).map(InstanceStatusEntry::getRedisUp).orElse(null)),
          Duration.ofSeconds(60));
      samples.add((System.nanoTime() - start) / 1_000_000);
      start = System.nanoTime();
      env.fleet().restartRedis(NAMESPACE, replica);
      awaitCluster(
          watched,
          name,
          c ->
              Boolean.TRUE.equals(
                  entry(c, replica).map(InstanceStatusEntry::getRedisUp).orElse(null)),
          Duration.ofSeconds(60));
      samples.add((System.nanoTime() - start) / 1_000_000);
    }
    log.info("change seen after (ms): {}", samples);
    return samples;
  }

  /**
   * The primary of the first cluster dies; until the status names another primary that the fleet
   * says serves.
   */
  private long failover(ScaleEnvironment env, SharedIndexInformer<RedisCluster> watched)
      throws Exception {
    String name = clusterName(0);
    String primary =
        watched.getStore().getByKey(NAMESPACE + "/" + name).getStatus().getCurrentPrimary();
    long start = System.nanoTime();
    env.fleet().killRedis(NAMESPACE, primary);
    RedisCluster after =
        awaitCluster(
            watched,
            name,
            c ->
                c.getStatus() != null
                    && c.getStatus().getCurrentPrimary() != null
                    && !primary.equals(c.getStatus().getCurrentPrimary()),
            Duration.ofSeconds(120));
    String promoted = after.getStatus().getCurrentPrimary();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"primary".equals(env.fleet().pod(NAMESPACE, promoted).path("role").asText())) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(promoted + " never became primary");
      }
      Thread.sleep(20);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    log.info("failover {} -> {} in {} ms", primary, promoted, millis);
    env.fleet().restartRedis(NAMESPACE, primary);
    return millis;
  }

  /**
   * Controller killed and started again: until the fleet has been asked for the status of every
   * pod.
   */
  private double restartAllPolled(ScaleEnvironment env) throws Exception {
    int pods = env.fleet().stats().path("pods").asInt();
    env.controller().kill();
    env.fleet().mark();
    long start = System.nanoTime();
    startController(env);
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (true) {
      JsonNode stats = env.fleet().stats();
      if (stats.path("seenSinceMark").asInt() >= pods) {
        return (System.nanoTime() - start) / 1e9;
      }
      if (System.nanoTime() > deadline) {
        log.warn(
            "after the restart only {} of {} pods were polled",
            stats.path("seenSinceMark").asInt(),
            pods);
        return -1;
      }
      Thread.sleep(100);
    }
  }

  private static String replicaOf(RedisCluster rc) {
    String primary = rc.getStatus().getCurrentPrimary();
    for (int ordinal = 0; ordinal < INSTANCES; ordinal++) {
      String pod = ResourceNames.podName(rc.getMetadata().getName(), ordinal);
      if (!pod.equals(primary)) {
        return pod;
      }
    }
    throw new IllegalStateException("no replica in " + rc.getMetadata().getName());
  }

  private static Optional<InstanceStatusEntry> entry(RedisCluster c, String pod) {
    return Optional.ofNullable(c.getStatus()).map(s -> s.getInstancesStatus()).map(m -> m.get(pod));
  }

  private static RedisCluster awaitCluster(
      SharedIndexInformer<RedisCluster> watched,
      String name,
      Predicate<RedisCluster> condition,
      Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      RedisCluster c = watched.getStore().getByKey(NAMESPACE + "/" + name);
      if (c != null && condition.test(c)) {
        return c;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(name + ": condition not met within " + timeout);
      }
      Thread.sleep(5);
    }
  }

  private static void awaitStore(
      SharedIndexInformer<RedisCluster> watched,
      Predicate<List<RedisCluster>> condition,
      Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextLog = 0;
    while (!condition.test(watched.getStore().list())) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("clusters not all Healthy within " + timeout);
      }
      if (System.nanoTime() > nextLog) {
        long healthy = watched.getStore().list().stream().filter(ClusterWait::isHealthy).count();
        log.info("{} of {} clusters Healthy", healthy, watched.getStore().list().size());
        nextLog = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      }
      Thread.sleep(100);
    }
  }

  static RedisCluster cluster(String namespace, String name) {
    return Serialization.unmarshal(
        """
        apiVersion: redis.io/v1
        kind: RedisCluster
        metadata: {name: %s, namespace: %s}
        spec:
          instances: %d
          imageName: redis:7.2
          storage: {type: emptyDir, size: 64Mi}
        """
            .formatted(name, namespace, INSTANCES),
        RedisCluster.class);
  }

  private static void namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(existing -> existing.update());
    client
        .serviceAccounts()
        .inNamespace(name)
        .withName("default")
        .waitUntilCondition(Objects::nonNull, 120, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return -1;
    }
  }
}
