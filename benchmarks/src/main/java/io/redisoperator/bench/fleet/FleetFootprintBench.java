package io.redisoperator.bench.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the fleet costs per simulated agent, without the control plane or the controller: N agents'
 * endpoints (simulated instances, their certificates, their TLS servers) in their own JVM ({@link
 * FleetFootprintServer}), one keep-alive mutual-TLS connection per agent from a client built as the
 * controller's ({@link FootprintClient}), polled at the controller's rates ({@link FootprintLoad}):
 * primaries every half interval with a held watch beside, replicas every interval. Prints one line:
 *
 * <pre>
 * fleet-footprint: agents=N connections=.. heap_per_agent_kib=.. cpu_cores_serving=.. status_per_s=..
 *   status_p50_ms=.. status_p99_ms=.. errors=.. handshake_ms_per_agent=.. connect_s=..
 * </pre>
 *
 * {@code heap_per_agent_kib}: the server's heap after a full collection, with every connection open
 * and polled, less its heap before the first agent, per agent. {@code cpu_cores_serving}: the
 * server's CPU over the measured window. {@code handshake_ms_per_agent}: the server's CPU while
 * every agent is contacted for the first time (a TLS handshake and a status answer each), per
 * agent. Before the line, the server's largest classes on the heap at that measurement are logged.
 */
@Command(
    name = "fleet-footprint",
    mixinStandardHelpOptions = true,
    description = "The fleet's heap and CPU per simulated agent under the controller's polls.")
public final class FleetFootprintBench implements Callable<Integer> {
  @Option(names = "--agents", description = "Simulated agents (default: ${DEFAULT-VALUE}).")
  int agents = 3000;

  @Option(
      names = "--seconds",
      description = "Measured window of steady polls (default: ${DEFAULT-VALUE}).")
  int seconds = 60;

  @Option(
      names = "--warmup-seconds",
      description = "Steady polls before the window (default: ${DEFAULT-VALUE}).")
  int warmupSeconds = 20;

  @Option(
      names = "--interval-ms",
      description = "The controller's poll interval (default: ${DEFAULT-VALUE}, the CRD default).")
  long intervalMillis = 1000;

  @Option(names = "--port", description = "The agents' port (default: ${DEFAULT-VALUE}).")
  int port = 8000;

  @Option(
      names = "--first-ip",
      description = "First agent address, a loopback /16 of its own (default: ${DEFAULT-VALUE}).")
  String firstIp = "127.1.0.1";

  @Option(
      names = "--server-heap",
      description = "The server JVM's -Xmx (default: ${DEFAULT-VALUE}).")
  String serverHeap = "4g";

  @Option(
      names = "--connect-concurrency",
      description = "First contacts in flight at once (default: ${DEFAULT-VALUE}).")
  int connectConcurrency = 32;

  @Option(
      names = "--server-threads",
      description =
          "The server's event loops, as the fleet's --server-threads (default: ${DEFAULT-VALUE}).")
  int serverThreads = 2;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FleetFootprintBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<FootprintPlan.ClientMaterial> clients = new ArrayList<>();
    long planStart = System.nanoTime();
    FootprintPlan plan = FootprintPlan.generate(agents, firstIp, clients);
    Path dir = Files.createTempDirectory("fleet-footprint");
    Path planFile = dir.resolve("plan.json");
    plan.write(planFile);
    System.out.printf(
        "planned %d agents in %d clusters in %.1f s%n",
        plan.agents(), plan.clusters().size(), (System.nanoTime() - planStart) / 1e9);
    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-Xmx" + serverHeap,
                "-cp",
                System.getProperty("java.class.path"),
                FleetFootprintServer.class.getName(),
                planFile.toString(),
                Integer.toString(port),
                Integer.toString(serverThreads))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readReplies(server, replies), "footprint-server-out");
    reader.setDaemon(true);
    reader.start();
    Writer commands =
        new java.io.OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8);
    try (FootprintClient client = new FootprintClient(port)) {
      long baseline = Long.parseLong(await(replies, "baseline", 120));
      long startBind = System.nanoTime();
      await(replies, "ready", 1200);
      System.out.printf(
          "server bound %d agents in %.1f s%n",
          plan.agents(), (System.nanoTime() - startBind) / 1e9);
      Files.delete(planFile);
      FootprintLoad load = FootprintLoad.of(client, plan, clients, intervalMillis);

      long cpuBefore = cpu(commands, replies);
      long connectStart = System.nanoTime();
      int refused = load.contactAll(connectConcurrency);
      double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
      double handshakeMs = (cpu(commands, replies) - cpuBefore) / 1e6 / plan.agents();
      System.out.printf(
          "first contact of every agent in %.1f s, %d failed%n", connectSeconds, refused);

      load.startSteady();
      TimeUnit.SECONDS.sleep(warmupSeconds);
      load.resetWindow();
      long windowCpu = cpu(commands, replies);
      long windowStart = System.nanoTime();
      TimeUnit.SECONDS.sleep(seconds);
      double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
      double cores = (cpu(commands, replies) - windowCpu) / 1e9 / windowSeconds;
      FootprintLoad.Window window = load.window();
      command(commands, "heap");
      long heap = Long.parseLong(await(replies, "heap", 300));
      command(commands, "histogram");
      for (String line = replies.poll(60, TimeUnit.SECONDS);
          line != null && !line.startsWith("histogram-end");
          line = replies.poll(60, TimeUnit.SECONDS)) {
        System.out.println("server heap " + line);
      }
      load.stop();
      System.out.println(
          String.format(
              Locale.ROOT,
              "fleet-footprint: agents=%d connections=%d heap_per_agent_kib=%.1f heap_mb=%.0f"
                  + " cpu_cores_serving=%.3f status_per_s=%.0f status_p50_ms=%.1f"
                  + " status_p99_ms=%.1f errors=%d handshake_ms_per_agent=%.2f connect_s=%.1f",
              plan.agents(),
              load.connections(),
              (heap - baseline) / 1024.0 / plan.agents(),
              heap / 1048576.0,
              cores,
              window.answered() / windowSeconds,
              window.percentileMillis(50),
              window.percentileMillis(99),
              window.errors() + refused,
              handshakeMs,
              connectSeconds));
    } finally {
      try {
        command(commands, "quit");
      } catch (IOException e) {
        // already gone
      }
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
      Files.deleteIfExists(planFile);
      Files.deleteIfExists(dir);
    }
    return 0;
  }

  private static long cpu(Writer commands, BlockingQueue<String> replies)
      throws IOException, InterruptedException {
    command(commands, "cpu");
    return Long.parseLong(await(replies, "cpu", 60));
  }

  private static void command(Writer commands, String command) throws IOException {
    commands.write(command + "\n");
    commands.flush();
  }

  /** The value of the server's next reply {@code key ...}. */
  private static String await(BlockingQueue<String> replies, String key, long seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      String line = replies.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IllegalStateException(
            "the server did not reply " + key + " within " + seconds + " s");
      }
      if (line.startsWith(key + " ")) {
        return line.substring(key.length() + 1).trim();
      }
    }
  }

  private static void readReplies(Process server, BlockingQueue<String> replies) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(FleetFootprintServer.PREFIX)) {
          replies.add(line.substring(FleetFootprintServer.PREFIX.length()));
        } else {
          System.out.println("[server] " + line);
        }
      }
    } catch (IOException e) {
      // the server exited
    }
  }
}
