package io.redisoperator.sandbox.operator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code helm} that {@code scripts/build-go-tools.sh} builds from its Go module and caches (the
 * first build prints its progress), run against one cluster through an administrator's kubeconfig,
 * with its cache, config and data directories in a directory of its own (never the user's, never a
 * chart repository).
 */
public final class Helm {
  private static final String SCRIPT = "scripts/build-go-tools.sh";
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

  private final Path binary;
  private final Path kubeconfig;
  private final Path home;

  private Helm(Path binary, Path kubeconfig, Path home) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.home = home;
  }

  /** Builds helm on first use; fails saying why when it cannot be had. */
  public static Helm locate(Path kubeconfig, Path home) {
    Path script = OperatorAccount.findFromWorkingDirectory(Path.of(SCRIPT));
    String bin =
        run(List.of("bash", script.toString()), Map.of(), script.getParent().getParent(), true)
            .trim();
    String[] lines = bin.split("\n");
    Path helm = Path.of(lines[lines.length - 1].trim()).resolve("helm");
    if (!Files.isExecutable(helm)) {
      throw new IllegalStateException(SCRIPT + " printed " + bin + ", which holds no helm");
    }
    return new Helm(helm, kubeconfig, home);
  }

  /**
   * {@code helm install} (or upgrade) of a chart directory as {@code release} into {@code
   * namespace} (created if missing); {@code values} are {@code --set} pairs. Returns helm's output.
   */
  public String upgradeInstall(
      String release, Path chart, String namespace, Map<String, String> values) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "upgrade",
                "--install",
                release,
                chart.toString(),
                "--namespace",
                namespace,
                "--create-namespace",
                "--kubeconfig",
                kubeconfig.toString()));
    values.forEach((key, value) -> argv.addAll(List.of("--set", key + "=" + value)));
    return run(argv, environment(), home, false);
  }

  /**
   * {@code helm template} of a chart directory (CRDs included) with values files; returns the
   * manifests.
   */
  public String template(
      String release,
      Path chart,
      String namespace,
      List<Path> valuesFiles,
      List<String> apiVersions) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "template",
                release,
                chart.toString(),
                "--namespace",
                namespace,
                "--include-crds"));
    valuesFiles.forEach(file -> argv.addAll(List.of("-f", file.toString())));
    apiVersions.forEach(version -> argv.addAll(List.of("--api-versions", version)));
    return run(argv, environment(), home, true);
  }

  public String uninstall(String release, String namespace) {
    return run(
        List.of(
            binary.toString(),
            "uninstall",
            release,
            "--namespace",
            namespace,
            "--kubeconfig",
            kubeconfig.toString()),
        environment(),
        home,
        false);
  }

  public Path binary() {
    return binary;
  }

  private Map<String, String> environment() {
    return Map.of(
        "HELM_CACHE_HOME",
        home.resolve("cache").toString(),
        "HELM_CONFIG_HOME",
        home.resolve("config").toString(),
        "HELM_DATA_HOME",
        home.resolve("data").toString());
  }

  /** Runs a command; its stdout, or an exception carrying its output when it fails. */
  private static String run(
      List<String> argv, Map<String, String> env, Path dir, boolean stderrToConsole) {
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
    builder.environment().putAll(env);
    if (stderrToConsole) {
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    } else {
      builder.redirectErrorStream(true);
    }
    try {
      Files.createDirectories(dir);
      Process process = builder.start();
      StringBuilder out = new StringBuilder();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          out.append(line).append('\n');
        }
      }
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", argv) + " did not finish in " + COMMAND_TIMEOUT);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            argv.get(0) + " " + argv.get(1) + " failed (exit " + process.exitValue() + "): " + out);
      }
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + argv.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + argv.get(0), e);
    }
  }

  public static Optional<Path> chartDirectory() {
    try {
      return Optional.of(
          OperatorAccount.findFromWorkingDirectory(
                  Path.of("charts", "redis-operator", "Chart.yaml"))
              .getParent());
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }
}
