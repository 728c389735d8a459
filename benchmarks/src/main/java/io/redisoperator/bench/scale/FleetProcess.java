package io.redisoperator.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.sandbox.fleet.FleetMain;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fleet ({@link FleetMain}) in its own JVM, and the benchmark's client of its control endpoint.
 */
final class FleetProcess implements AutoCloseable {
  private final ProcessGroup process;
  private final StateDir state;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  private FleetProcess(ProcessGroup process, StateDir state, int port) {
    this.process = process;
    this.state = state;
    this.base = "http://127.0.0.1:" + port;
  }

  static FleetProcess start(
      String java, List<String> jvmFlags, Path kubeconfig, StateDir state, Path log)
      throws IOException, InterruptedException {
    Path portFile = state.dir().resolve("fleet-port");
    Files.deleteIfExists(portFile);
    List<String> argv = new ArrayList<>();
    argv.add(java);
    argv.addAll(jvmFlags);
    argv.addAll(
        List.of(
            "-cp",
            classPath(),
            FleetMain.class.getName(),
            "--kubeconfig",
            kubeconfig.toString(),
            "--control-port-file",
            portFile.toString(),
            "--state-root",
            state.root().toString()));
    ProcessGroup group =
        ProcessGroup.start(
            argv,
            Map.of(
                "PATH",
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                StateDir.ENV_INSTANCE,
                state.dir().toString()),
            state.dir(),
            log);
    state.recordGroup(group.pgid());
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!Files.isRegularFile(portFile) || Files.readString(portFile).isBlank()) {
      if (!group.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the fleet did not start, see " + log);
      }
      Thread.sleep(100);
    }
    return new FleetProcess(group, state, Integer.parseInt(Files.readString(portFile).trim()));
  }

  /** The benchmark's own class path (dist/redis-bench.jar) holds the sandbox's fleet too. */
  private static String classPath() {
    // Absolute: the fleet runs in the state directory.
    return java.util.Arrays.stream(
            System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(p -> Path.of(p).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  long pid() {
    return process.pgid();
  }

  JsonNode stats() {
    return call("GET", "/stats");
  }

  void mark() {
    call("POST", "/mark");
  }

  JsonNode pod(String namespace, String name) {
    return call("GET", "/pods/" + namespace + "/" + name);
  }

  void killRedis(String namespace, String name) {
    call("POST", "/pods/" + namespace + "/" + name + "/kill-redis");
  }

  void restartRedis(String namespace, String name) {
    call("POST", "/pods/" + namespace + "/" + name + "/restart-redis");
  }

  private JsonNode call(String method, String path) {
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .method(method, HttpRequest.BodyPublishers.noBody())
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            method
                + " "
                + path
                + ": HTTP "
                + response.statusCode()
                + " "
                + new String(response.body()));
      }
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.terminate(Duration.ofSeconds(10));
    state.forgetGroup(process.pgid());
  }
}
