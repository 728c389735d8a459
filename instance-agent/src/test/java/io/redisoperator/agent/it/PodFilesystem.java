package io.redisoperator.agent.it;

import io.redisoperator.protocol.agent.InstanceLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's files as the sandbox kubelet lays them out for an agent in its own JVM: every mount under
 * {@code <root>/<mountPath>}, the node's credentials and agent TLS files projected into them.
 */
final class PodFilesystem {
  final Path root;

  private PodFilesystem(Path root) {
    this.root = root;
  }

  /** Creates the pod's mounts under {@code root} and projects {@code node}'s Secrets into them. */
  static PodFilesystem lay(AgentHarness.Node node, Path root) throws IOException {
    PodFilesystem pod = new PodFilesystem(root);
    pod.mount(InstanceLayout.CONFIG_DIR);
    pod.mount(InstanceLayout.DATA_DIR);
    node.projectSecret(
        pod.mount(InstanceLayout.AUTH_DIR),
        Map.of(
            InstanceLayout.AUTH_KEY_AGENT, AgentHarness.AGENT_PASSWORD,
            InstanceLayout.AUTH_KEY_REPLICATION, AgentHarness.REPLICATION_PASSWORD));
    node.projectSecret(
        pod.mount(InstanceLayout.ACL_DIR),
        InstanceLayout.ACL_KEY_USERS,
        Files.readString(node.aclDir.resolve(InstanceLayout.ACL_KEY_USERS)));
    Path agentTls = pod.mount(InstanceLayout.AGENT_TLS_DIR);
    for (String key :
        List.of(
            InstanceLayout.SECRET_KEY_TLS_CERT,
            InstanceLayout.SECRET_KEY_TLS_KEY,
            InstanceLayout.SECRET_KEY_CA_CERT)) {
      Files.writeString(agentTls.resolve(key), Files.readString(node.agentTlsDir.resolve(key)));
    }
    return pod;
  }

  /** The directory of the mount at {@code mountPath} (absolute, as in the pod spec), created. */
  Path mount(String mountPath) throws IOException {
    return Files.createDirectories(root.resolve(mountPath.substring(1)));
  }

  Path log() {
    return root.resolve("agent.log");
  }

  /**
   * The agent's process as the launcher's {@code instance} role runs it: {@code entry}'s main, the
   * Downward API environment, paths under the fs root, output to {@link #log()}.
   */
  ProcessBuilder agentProcess(
      AgentHarness h,
      AgentHarness.Node node,
      Class<?> entry,
      List<String> jvmOptions,
      List<String> agentOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), entry.getName()));
    command.addAll(agentOptions);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put(InstanceLayout.ENV_POD_NAME, node.podName);
    pb.environment().put(InstanceLayout.ENV_POD_NAMESPACE, AgentHarness.NAMESPACE);
    pb.environment().put(InstanceLayout.ENV_POD_IP, node.ip);
    pb.environment().put(InstanceLayout.ENV_CLUSTER_NAME, AgentHarness.CLUSTER);
    pb.environment().put(InstanceLayout.ENV_FS_ROOT, root.toString());
    pb.environment().put("KUBERNETES_MASTER", h.apiUrl());
    pb.redirectErrorStream(true);
    pb.redirectOutput(log().toFile());
    return pb;
  }
}
