package io.redisoperator.plugin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl redis}: day-2 operations on RedisClusters. Runs as the {@code plugin} role of the
 * operator jar (the {@code kubectl-redis} script on the PATH starts it); talks to the API server
 * with the current kubeconfig.
 */
@Command(
    name = "kubectl redis",
    mixinStandardHelpOptions = true,
    description =
        "Operate RedisClusters: status, switchover, fencing, hibernation, rolling restarts, backups, redis-cli,"
            + " bug reports.",
    subcommands = {
      PluginMain.Status.class,
      PluginMain.Switchover.class,
      PluginMain.Fence.class,
      PluginMain.Unfence.class,
      PluginMain.Hibernate.class,
      PluginMain.Restart.class,
      PluginMain.Backup.class,
      PluginMain.Cli.class,
      PluginMain.Report.class
    })
public final class PluginMain {
  @Option(
      names = {"-n", "--namespace"},
      description = "namespace of the RedisCluster (default: the kubeconfig's)")
  String namespace;

  @Spec CommandLine.Model.CommandSpec spec;

  /** Builds the client; replaced in tests by one bound to the mock API server. */
  Function<String, KubernetesClient> clients = PluginMain::kubeconfigClient;

  Clock clock = Clock.systemUTC();

  public static int run(String[] args) {
    return run(args, new PluginMain());
  }

  static int run(String[] args, PluginMain main) {
    CommandLine cli = new CommandLine(main);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 1;
        });
    return cli.execute(args);
  }

  private static KubernetesClient kubeconfigClient(String unused) {
    return new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
  }

  <T> T withCommands(BiFunctionWithClient<T> body) throws Exception {
    try (KubernetesClient client = clients.apply(namespace)) {
      String ns =
          namespace != null
              ? namespace
              : client.getNamespace() != null ? client.getNamespace() : "default";
      return body.apply(client, ns, new ClusterCommands(client, ns, clock));
    }
  }

  interface BiFunctionWithClient<T> {
    T apply(KubernetesClient client, String namespace, ClusterCommands commands) throws Exception;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  abstract static class Sub implements Callable<Integer> {
    @ParentCommand PluginMain parent;
  }

  @Command(
      name = "status",
      description =
          "Primary, each pod's role, readiness, lag and fencing, last backup, conditions, recent events.")
  static final class Status extends Sub {
    @Parameters(index = "0", paramLabel = "CLUSTER")
    String cluster;

    @Override
    public Integer call() throws Exception {
      String text =
          parent.withCommands(
              (client, ns, commands) -> {
                RedisCluster rc = commands.get(cluster);
                List<RedisBackup> backups =
                    client.resources(RedisBackup.class).inNamespace(ns).list().getItems().stream()
                        .filter(
                            b ->
                                b.getSpec() != null
                                    && b.getSpec().getCluster() != null
                                    && cluster.equals(b.getSpec().getCluster().getName()))
                        .toList();
                var events =
                    client.v1().events().inNamespace(ns).list().getItems().stream()
                        .filter(
                            e ->
                                e.getInvolvedObject() != null
                                    && cluster.equals(e.getInvolvedObject().getName())
                                    && "RedisCluster".equals(e.getInvolvedObject().getKind()))
                        .toList();
                return StatusReport.render(rc, backups, events);
              });
      parent.out().print(text);
      parent.out().flush();
      return 0;
    }
  }

  @Command(
      name = "switchover",
      description = "Planned switchover to a replica (default: the least-behind ready one).")
  static final class Switchover extends Sub {
    @Parameters(index = "0", paramLabel = "CLUSTER")
    String cluster;

    @Option(names = "--to", paramLabel = "POD", description = "the replica to promote")
    String to;

    @Override
    public Integer call() throws Exception {
      String target =
          parent.withCommands((client, ns, commands) -> commands.switchover(cluster, to));
      parent
          .out()
          .println(
              "switchover of "
                  + cluster
                  + " to "
                  + target
                  + " requested; follow it with: kubectl get rdc "
                  + cluster
                  + " -w");
      return 0;
    }
  }

  @Command(
      name = "fence",
      description = "Fence an instance (it refuses writes and is never promoted); '*' fences all.")
  static final class Fence extends Sub {
    @Parameters(index = "0", paramLabel = "CLUSTER")
    String cluster;

    @Parameters(index = "1", paramLabel = "POD|*")
    String pod;

    @Override
    public Integer call() throws Exception {
      String now = parent.withCommands((client, ns, commands) -> commands.fence(cluster, pod));
      parent.out().println("fenced by hand in " + cluster + ": " + now);
      return 0;
    }
  }

  @Command(name = "unfence", description = "Lift a manual fence; '*' lifts them all.")
  static final class Unfence extends Sub {
    @Parameters(index = "0", paramLabel = "CLUSTER")
    String cluster;

    @Parameters(index = "1", paramLabel = "POD|*")
    String pod;

    @Override
    public Integer call() throws Exception {
      String now = parent.withCommands((client, ns, commands) -> commands.unfence(cluster, pod));
      parent.out().println("fenced by hand in " + cluster + ": " + (now == null ? "none" : now));
      return 0;
    }
  }

  @Command(
      name = "hibernate",
      description = "on: delete the pods, keep PVCs and status; off: bring them back.")
  static final class Hibernate extends Sub {
    @Parameters(index = "0", paramLabel = "CLUSTER")
    String cluster;

    @Parameters(index = "1", paramLabel = "on|off")
    String state;

    @Override
    public Integer call() throws Exception {
      if (!state.equals("on") && !state.equals("off")) {
        throw new CommandLine.ParameterException(
            parent.spec.commandLine(), "hibernate takes 'on' or 'off', not '" + state + "'");
      }
      parent.withCommands(
          (client, ns, commands) -> {
            commands.hibernate(cluster, state.equals("on"));
            return null;
          });
      parent.out().println("hibernation of " + cluster + " set to " + state);
      return 0;
    }
  }

  @Command(
      name = "restart",
      description =
          "Rolling restart through the operator: every pod is recreated, replicas "
              + "first, the primary last after a switchover (with primaryUpdateStrategy supervised it waits for approval).")
  static final class Restart extends Sub {
    @Parameters(index = "0", paramLabel = "CLUSTER")
    String cluster;

    @Override
    public Integer call() throws Exception {
      String at = parent.withCommands((client, ns, commands) -> commands.restart(cluster));
      parent
          .out()
          .println(
              "rolling restart of "
                  + cluster
                  + " requested (redis.io/restartedAt="
                  + at
                  + "); follow it with: kubectl get rdc "
                  + cluster
                  + " -w");
      return 0;
    }
  }

  @Command(
      name = "backup",
      description =
          "Create a RedisBackup of the cluster, written where its RedisScheduledBackup"
              + " writes, or to --bucket.")
  static final class Backup extends Sub {
    @Parameters(index = "0", paramLabel = "CLUSTER")
    String cluster;

    @Option(
        names = "--bucket",
        description = "S3 bucket (default: the destination of the cluster's RedisScheduledBackup)")
    String bucket;

    @Option(names = "--path", description = "key prefix in the bucket")
    String path;

    @Option(names = "--endpoint", description = "S3-compatible endpoint URL (default: AWS)")
    String endpoint;

    @Option(names = "--region", description = "S3 region")
    String region;

    @Option(
        names = "--path-style",
        description = "path-style addressing (most S3-compatible stores)")
    boolean pathStyle;

    @Override
    public Integer call() throws Exception {
      io.redisoperator.protocol.crd.ObjectStore destination =
          bucket == null
              ? null
              : new io.redisoperator.protocol.crd.ObjectStore(
                  bucket, path, endpoint, region, pathStyle ? Boolean.TRUE : null);
      String name =
          parent.withCommands((client, ns, commands) -> commands.backup(cluster, destination));
      parent
          .out()
          .println(
              "redisbackup/"
                  + name
                  + " created; follow it with: kubectl get redisbackup "
                  + name
                  + " -w");
      return 0;
    }
  }

  @Command(
      name = "cli",
      description =
          "redis-cli against the primary, authenticated with the cluster's password "
              + "(through a port-forward and a local proxy that sends AUTH itself: the password is never shown, "
              + "in argv or in the environment). Extra arguments go to redis-cli.")
  static final class Cli extends Sub {
    @Parameters(index = "0", paramLabel = "CLUSTER")
    String cluster;

    @Parameters(index = "1..*", paramLabel = "REDIS_CLI_ARGS")
    List<String> extra = new ArrayList<>();

    @Option(
        names = "--redis-cli",
        description = "the redis-cli binary (default: redis-cli on the PATH)")
    String redisCli = "redis-cli";

    @Override
    public Integer call() throws Exception {
      return parent.withCommands(
          (client, ns, commands) -> {
            RedisCluster rc = commands.get(cluster);
            String primary = rc.getStatus() == null ? null : rc.getStatus().getCurrentPrimary();
            if (primary == null) {
              throw new IllegalStateException(cluster + " has no recorded primary");
            }
            byte[] password = commands.password(rc);
            try (LocalPortForward forward =
                    client
                        .pods()
                        .inNamespace(ns)
                        .withName(primary)
                        .portForward(AgentApi.REDIS_PORT);
                AuthProxy proxy =
                    new AuthProxy(
                        new InetSocketAddress("127.0.0.1", forward.getLocalPort()), password)) {
              java.util.Arrays.fill(password, (byte) 0);
              List<String> command =
                  new ArrayList<>(
                      List.of(redisCli, "-h", "127.0.0.1", "-p", Integer.toString(proxy.port())));
              command.addAll(extra);
              return new ProcessBuilder(command).inheritIO().start().waitFor();
            }
          });
    }
  }

  @Command(
      name = "report",
      description =
          "A zip for a bug report: the cluster's objects, events, pod and operator logs; secrets redacted.")
  static final class Report extends Sub {
    @Parameters(index = "0", paramLabel = "CLUSTER")
    String cluster;

    @Option(
        names = {"-o", "--output"},
        description = "the zip to write (default: redis-report-<cluster>.zip)")
    Path output;

    @Option(
        names = "--operator-namespace",
        description = "where the operator runs (default: ${DEFAULT-VALUE})")
    String operatorNamespace = "redis-operator";

    @Override
    public Integer call() throws Exception {
      Path target = output != null ? output : Path.of("redis-report-" + cluster + ".zip");
      int entries =
          parent.withCommands(
              (client, ns, commands) -> {
                try (OutputStream out = Files.newOutputStream(target)) {
                  return new BugReport(client, ns).write(cluster, operatorNamespace, out);
                }
              });
      parent.out().println(target + " written (" + entries + " files, secret values redacted)");
      return 0;
    }
  }
}
