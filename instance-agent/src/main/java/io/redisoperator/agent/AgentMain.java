package io.redisoperator.agent;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code instance} role: the agent that owns redis-server inside a data pod. */
@Command(
    name = "instance",
    mixinStandardHelpOptions = true,
    description = "Run the instance agent: render redis.conf, supervise redis-server, serve the agent HTTP API.")
public final class AgentMain implements Callable<Integer> {

  /** Parses the role's arguments and runs it; returns the exit code (2 on bad arguments). */
  public static int run(String[] args) {
    return new CommandLine(new AgentMain()).execute(args);
  }

  @Override
  public Integer call() {
    System.err.println("instance: not implemented yet");
    return 1;
  }
}
