package io.redisoperator.e2e.k3s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.MountableFile;

/**
 * The k3s container seen as the cluster's one node: commands run there as root, beside containerd
 * and kube-router.
 */
final class K3sNode {
  private final K3sContainer container;

  K3sNode(K3sContainer container) {
    this.container = container;
  }

  /** Runs a command on the node; returns its result whatever the exit code. */
  ExecResult run(String... command) {
    try {
      return container.execInContainer(command);
    } catch (IOException e) {
      throw new UncheckedIOException("on the k3s node: " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  /**
   * Runs a command on the node and fails with its output unless it exits with one of {@code
   * accepted}.
   */
  ExecResult require(int[] accepted, String... command) {
    ExecResult result = run(command);
    if (Arrays.stream(accepted).noneMatch(code -> code == result.getExitCode())) {
      throw new IllegalStateException(
          "on the k3s node, `"
              + String.join(" ", command)
              + "` exited "
              + result.getExitCode()
              + ": "
              + result.getStderr().strip()
              + " "
              + result.getStdout().strip());
    }
    return result;
  }

  /**
   * Imports an image archive ({@code docker save} format) into the containerd namespace the kubelet
   * uses: k3s runs its own containerd and cannot see the host's Docker images.
   */
  void importImage(Path archive) {
    String inNode = "/tmp/" + archive.getFileName();
    container.copyFileToContainer(MountableFile.forHostPath(archive), inNode);
    require(new int[] {0}, "ctr", "-n", "k8s.io", "images", "import", inNode);
    run("rm", "-f", inNode);
  }
}
