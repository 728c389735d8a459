package io.redisoperator.sandbox.fleet;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.sandbox.SandboxConfig;
import io.redisoperator.sandbox.kubelet.NodeRegistration;
import io.redisoperator.sandbox.network.AddressPool;
import io.redisoperator.sandbox.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fleet as its own process: registers its nodes on the API server, serves the data pods the
 * scheduler binds to them (see {@link Fleet}) and the control endpoint ({@link FleetControl}) until
 * it is terminated.
 */
@Command(
    name = "redis-fleet",
    mixinStandardHelpOptions = true,
    description =
        "Simulated data pods for the scale benchmark: addresses, status and agent API, no processes.")
public final class FleetMain implements Callable<Integer> {
  @Option(
      names = "--kubeconfig",
      required = true,
      description = "Administrator kubeconfig of the API server.")
  Path kubeconfig;

  @Option(names = "--nodes", description = "Nodes to register (default: ${DEFAULT-VALUE}).")
  int nodes = 8;

  @Option(
      names = "--max-pods-per-node",
      description = "Pod capacity of each node (default: ${DEFAULT-VALUE}).")
  int maxPods = 500;

  @Option(names = "--node-ip", description = "The nodes' address (default: ${DEFAULT-VALUE}).")
  String nodeIp = "127.0.200.1";

  @Option(names = "--first-ip", description = "First pod address (default: ${DEFAULT-VALUE}).")
  String firstIp = "127.0.200.2";

  @Option(names = "--last-ip", description = "Last pod address (default: ${DEFAULT-VALUE}).")
  String lastIp = "127.0.239.254";

  @Option(names = "--agent-port", description = "The agent API port (default: ${DEFAULT-VALUE}).")
  int agentPort = AgentApi.PORT;

  @Option(
      names = "--server-threads",
      description = "Event loops serving every agent (default: ${DEFAULT-VALUE}).")
  int serverThreads = 2;

  @Option(
      names = "--control-port-file",
      required = true,
      description = "Where to write the control port once up.")
  Path portFile;

  @Option(
      names = "--state-root",
      description = "Sandbox state root, for address claims (default: ${DEFAULT-VALUE}).")
  Path stateRoot = SandboxConfig.defaultStateRoot();

  public static void main(String[] args) {
    System.exit(new CommandLine(new FleetMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    StateDir state = StateDir.create(stateRoot);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      names.add("fleet-node-" + i);
    }
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    config.setClientKeyAlgo("EC"); // the sandbox's credentials are EC P-256
    config.setHttp2Disable(true);
    config.setMaxConcurrentRequests(64);
    config.setMaxConcurrentRequestsPerHost(64);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    // The heartbeats' own client: a node's Lease renewal never waits behind the pods' requests.
    KubernetesClient heartbeatClient = new KubernetesClientBuilder().withConfig(config).build();
    NodeRegistration registration =
        new NodeRegistration(heartbeatClient, names, nodeIp, Clock.systemUTC(), maxPods);
    registration.start();
    Fleet fleet =
        new Fleet(
            client,
            Set.copyOf(names),
            nodeIp,
            new AddressPool(state, firstIp, lastIp),
            agentPort,
            System::currentTimeMillis,
            serverThreads);
    fleet.start();
    FleetControl control = new FleetControl(fleet, registration::leaseGapMaxMillis, "127.0.0.1", 0);
    Files.writeString(portFile, Integer.toString(control.port()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  control.close();
                  fleet.close();
                  registration.close();
                  heartbeatClient.close();
                  client.close();
                  state.releaseAllAddresses();
                  state.deleteTree();
                  stopped.countDown();
                },
                "fleet-shutdown"));
    stopped.await();
    return 0;
  }
}
