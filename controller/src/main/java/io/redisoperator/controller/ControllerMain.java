package io.redisoperator.controller;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code controller} role: the controller-manager. */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = "Run the controller-manager that reconciles RedisCluster resources.")
public final class ControllerMain implements Callable<Integer> {

  /** Parses the role's arguments and runs it; returns the exit code (2 on bad arguments). */
  public static int run(String[] args) {
    return new CommandLine(new ControllerMain()).execute(args);
  }

  @Override
  public Integer call() {
    System.err.println("controller: not implemented yet");
    return 1;
  }
}
