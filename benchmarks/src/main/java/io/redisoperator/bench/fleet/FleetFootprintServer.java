package io.redisoperator.bench.fleet;

import com.sun.management.OperatingSystemMXBean;
import io.redisoperator.sandbox.fleet.AgentServer;
import io.redisoperator.sandbox.fleet.FleetCounters;
import io.redisoperator.sandbox.fleet.FleetMembers;
import io.redisoperator.sandbox.fleet.SimulatedInstance;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import javax.management.ObjectName;

/**
 * The server side of {@link FleetFootprintBench}, in its own JVM so its heap and CPU are the
 * agents' alone: the plan's simulated instances and their agent endpoints, as the fleet serves
 * them. Answers the bench on stdin/stdout, one line each ({@link #PREFIX}): {@code heap} (after a
 * full collection), {@code cpu} (nanoseconds used), {@code histogram} (the live heap's largest
 * classes), {@code quit}.
 */
public final class FleetFootprintServer {
  static final String PREFIX = "footprint-server: ";

  private static final int HISTOGRAM_LINES = 20;

  private FleetFootprintServer() {}

  public static void main(String[] args) throws Exception {
    Path planFile = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    LongSupplier millis = System::currentTimeMillis;
    FleetCounters counters = new FleetCounters(millis);
    int threads = Integer.parseInt(args[2]);
    AgentServer server = new AgentServer(millis, counters, threads);
    reply("baseline " + heapAfterGc());
    FleetMembers members = new FleetMembers();
    List<CompletableFuture<?>> bound = new ArrayList<>();
    int agents = 0;
    for (FootprintPlan.Cluster cluster : FootprintPlan.read(planFile).clusters()) {
      String primaryIp = cluster.pods().get(0).ip();
      for (FootprintPlan.Pod pod : cluster.pods()) {
        SimulatedInstance instance =
            new SimulatedInstance(
                pod.name(),
                pod.ip(),
                pod.primary(),
                pod.primary() ? null : primaryIp,
                millis,
                members.peers(FootprintPlan.NAMESPACE, cluster.name()));
        members.add(FootprintPlan.NAMESPACE, cluster.name(), instance);
        bound.add(
            server
                .bind(
                    instance,
                    AgentServer.serverContext(pod.certPem(), pod.keyPem(), cluster.caPem()),
                    port)
                .toCompletableFuture());
        agents++;
      }
    }
    CompletableFuture.allOf(bound.toArray(CompletableFuture[]::new)).join();
    reply("ready " + agents);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      switch (line.trim()) {
        case "heap" -> reply("heap " + heapAfterGc());
        case "cpu" -> reply("cpu " + os.getProcessCpuTime());
        case "histogram" -> {
          histogram(HISTOGRAM_LINES).forEach(l -> reply("class " + l));
          reply("histogram-end ");
        }
        case "quit" -> {
          reply("statuses " + counters.statusRequests());
          System.exit(0);
        }
        default -> reply("unknown " + line);
      }
    }
    System.exit(0);
  }

  /** The first lines of the live heap's class histogram (the largest classes by bytes). */
  private static List<String> histogram(int lines) throws Exception {
    String text =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {null},
                    new String[] {String[].class.getName()});
    return text.lines().limit(lines + 2L).toList();
  }

  private static long heapAfterGc() {
    // Twice: the first collection's finalizable and soft-cleared objects go in the second.
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void reply(String line) {
    System.out.println(PREFIX + line);
    System.out.flush();
  }
}
