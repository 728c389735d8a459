package io.redisoperator.e2e;

import io.redisoperator.e2e.k3s.K3sEnvironment;
import io.redisoperator.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.testcontainers.DockerClientFactory;

/**
 * Where the scenarios run, chosen by the system property {@value #PROPERTY}: {@code sandbox} (the
 * default, local processes) or {@code k3s} (a real Kubernetes in Docker). The scenarios themselves
 * do not know which.
 */
enum EnvironmentKind {
  SANDBOX {
    @Override
    Optional<String> unavailableReason() {
      Path jar = SandboxConfig.findOperatorJar();
      return Files.isRegularFile(jar)
          ? Optional.empty()
          : Optional.of(jar + " missing (run make build)");
    }

    @Override
    void announceSkip(String scenario, String reason) {
      ScenarioReport.skipped(scenario, reason).publish();
    }

    @Override
    ClusterEnvironment start(String scenario) {
      return SandboxEnvironment.start(scenario);
    }
  },

  K3S {
    @Override
    Optional<String> unavailableReason() {
      return dockerAvailable()
          ? Optional.empty()
          : Optional.of("Docker is not available on this machine");
    }

    /** Once per run: every scenario has the same reason, and one line says it. */
    @Override
    void announceSkip(String scenario, String reason) {
      if (K3S_SKIP_ANNOUNCED.compareAndSet(false, true)) {
        System.out.println("e2e-k3s: skipped: " + reason);
      }
      ScenarioReport.skipped(scenario, reason).publish();
    }

    @Override
    ClusterEnvironment start(String scenario) {
      return K3sEnvironment.start(scenario);
    }
  };

  static final String PROPERTY = "e2e.env";
  private static final AtomicBoolean K3S_SKIP_ANNOUNCED = new AtomicBoolean();
  private static Boolean docker;

  /** Why the scenarios cannot run in this environment on this machine, or empty when they can. */
  abstract Optional<String> unavailableReason();

  /** Prints why a scenario is skipped: never a silent skip. */
  abstract void announceSkip(String scenario, String reason);

  abstract ClusterEnvironment start(String scenario);

  static EnvironmentKind selected() {
    String value = System.getProperty(PROPERTY, "sandbox").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "", "sandbox" -> SANDBOX;
      case "k3s" -> K3S;
      default ->
          throw new IllegalArgumentException(PROPERTY + "=" + value + ": expected sandbox or k3s");
    };
  }

  /**
   * Asked once: Testcontainers' probe takes a moment and the answer does not change during a run.
   */
  private static synchronized boolean dockerAvailable() {
    if (docker == null) {
      docker = DockerClientFactory.instance().isDockerAvailable();
    }
    return docker;
  }
}
