package io.redisoperator.launcher;

import io.redisoperator.agent.AgentMain;
import io.redisoperator.controller.ControllerMain;
import io.redisoperator.plugin.PluginMain;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The single entry point of {@code redis-operator.jar}: {@code controller} runs the
 * controller-manager, {@code instance} the in-pod agent. Like CloudNativePG's manager binary, one
 * artifact serves both roles.
 */
public final class Main {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: redis-operator <role> [options]",
          "",
          "Roles:",
          "  controller   run the controller-manager (reconciles RedisCluster resources)",
          "  instance     run the instance agent inside a Redis pod (supervises redis-server)",
          "  plugin       the kubectl plugin (kubectl redis ...): status, switchover, fence, hibernate, backup, cli, report",
          "",
          "Run 'redis-operator <role> --help' for the options of a role.");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Dispatches to a role; returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "controller":
        return ControllerMain.run(rest);
      case "instance":
        return AgentMain.run(rest);
      case "plugin":
        return PluginMain.run(rest);
      case "-h":
      case "--help":
      case "help":
        out.println(USAGE);
        return 0;
      default:
        err.println("Unknown role '" + args[0] + "'.\n\n" + USAGE);
        return 2;
    }
  }
}
