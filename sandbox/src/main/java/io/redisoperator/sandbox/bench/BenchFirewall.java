package io.redisoperator.sandbox.bench;

import io.redisoperator.protocol.agent.AgentApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network partitions with iptables, in a chain of its own ({@value #CHAIN}) so a crashed run's rules are flushed by the
 * next one and every rule disappears when the benchmark ends.
 */
final class BenchFirewall implements AutoCloseable {
  static final String CHAIN = "REDIS-OP-BENCH";

  private BenchFirewall() {}

  /** Creates (or empties) the chain and jumps to it from OUTPUT; loopback packets traverse OUTPUT once. */
  static BenchFirewall open() {
    removeChain();
    run(true, "-N", CHAIN);
    run(true, "-I", "OUTPUT", "-j", CHAIN);
    return new BenchFirewall();
  }

  /**
   * Drops every packet to or from {@code ip} except those exchanged with {@code allowedPeer}, the pod's traffic with
   * itself (the agent's connection to its own Redis, which in a real pod never leaves the pod's network namespace),
   * and the benchmark's own Redis connections from 127.0.0.1 (its probes must still see whether the cut-off primary
   * accepts writes to measure split brain).
   */
  void isolate(String ip, String allowedPeer) {
    String redisPort = Integer.toString(AgentApi.REDIS_PORT);
    run(true, "-A", CHAIN, "-s", ip, "-d", ip, "-j", "RETURN");
    run(true, "-A", CHAIN, "-s", "127.0.0.1", "-d", ip, "-p", "tcp", "--dport", redisPort, "-j", "RETURN");
    run(true, "-A", CHAIN, "-s", ip, "-d", "127.0.0.1", "-p", "tcp", "--sport", redisPort, "-j", "RETURN");
    run(true, "-A", CHAIN, "-s", ip, "!", "-d", allowedPeer, "-j", "DROP");
    run(true, "-A", CHAIN, "-d", ip, "!", "-s", allowedPeer, "-j", "DROP");
  }

  void healAll() {
    run(true, "-F", CHAIN);
  }

  @Override
  public void close() {
    removeChain();
  }

  private static void removeChain() {
    run(false, "-D", "OUTPUT", "-j", CHAIN);
    run(false, "-F", CHAIN);
    run(false, "-X", CHAIN);
  }

  private static void run(boolean mustSucceed, String... args) {
    List<String> argv = new ArrayList<>(List.of("iptables", "-w"));
    argv.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", argv) + " timed out");
      }
      if (mustSucceed && process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", argv) + " failed: " + output.trim());
      }
    } catch (IOException e) {
      if (mustSucceed) {
        throw new IllegalStateException("iptables unavailable: " + e.getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
