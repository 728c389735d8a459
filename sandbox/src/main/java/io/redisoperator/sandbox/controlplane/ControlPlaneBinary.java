package io.redisoperator.sandbox.controlplane;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-plane binary (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl
 * in one executable) that {@code scripts/build-control-plane.sh} builds from the repository's
 * {@code control-plane} Go module and caches outside the work tree. Found by running the script
 * (instant once built; a first build prints its progress here), or taken as given from {@value
 * #DIRECTORY_PROPERTY} / {@value #DIRECTORY_ENV}.
 */
public final class ControlPlaneBinary {
  private static final Logger log = LoggerFactory.getLogger(ControlPlaneBinary.class);
  public static final String DIRECTORY_PROPERTY = "redis.sandbox.controlPlaneDir";
  public static final String DIRECTORY_ENV = "REDIS_SANDBOX_CONTROL_PLANE_DIR";
  private static final String SCRIPT = "scripts/build-control-plane.sh";

  private final Path directory;

  private ControlPlaneBinary(Path directory) {
    this.directory = directory;
  }

  /**
   * The binary's directory, building it first if needed; empty with the reason logged when it
   * cannot be had.
   */
  public static Optional<ControlPlaneBinary> locate() {
    Optional<Path> given =
        Optional.ofNullable(System.getProperty(DIRECTORY_PROPERTY))
            .or(() -> Optional.ofNullable(System.getenv(DIRECTORY_ENV)))
            .map(Path::of);
    if (given.isPresent()) {
      return usable(given.get());
    }
    Optional<Path> script = findScript();
    if (script.isEmpty()) {
      log.warn("no {} in the working directory or its parents: no control plane", SCRIPT);
      return Optional.empty();
    }
    return build(script.get()).flatMap(ControlPlaneBinary::usable);
  }

  private static Optional<ControlPlaneBinary> usable(Path dir) {
    if (Files.isExecutable(dir.resolve("control-plane"))) {
      return Optional.of(new ControlPlaneBinary(dir));
    }
    log.warn("{} holds no control-plane binary", dir);
    return Optional.empty();
  }

  /**
   * Runs the build script; its progress lines go to the log, its last stdout line is the directory.
   */
  private static Optional<Path> build(Path script) {
    ProcessBuilder builder =
        new ProcessBuilder("bash", script.toString())
            .redirectErrorStream(false)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      Process process = builder.start();
      String last = null;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          last = line;
        }
      }
      int exit = process.waitFor();
      if (exit != 0 || last == null) {
        log.warn("{} failed (exit {}): no control plane", script, exit);
        return Optional.empty();
      }
      return Optional.of(Path.of(last.trim()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<Path> findScript() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(SCRIPT);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
      dir = dir.getParent();
    }
    return Optional.empty();
  }

  /**
   * The executable for one command: a link named after it, so the binary picks the command by its
   * name.
   */
  public Path command(String name) {
    return directory.resolve(name);
  }

  public Path directory() {
    return directory;
  }
}
