package io.redisoperator.sandbox.state;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A tiny shell process, in its own session, that outlives this JVM by at most a second: when the
 * JVM is gone without having cleaned up (SIGKILL, OOM), it kills the recorded process groups,
 * deletes the recorded iptables rules and address claims and removes the instance directory. A
 * clean shutdown stops the watchdog first.
 */
public final class Watchdog implements AutoCloseable {
  private static final String SCRIPT =
      String.join(
          "\n",
          "while kill -0 \"$OWNER\" 2>/dev/null; do sleep 1; done",
          "[ -d \"$DIR\" ] || exit 0",
          "for g in \"$DIR\"/groups/*; do [ -e \"$g\" ] && env kill -s KILL -- \"-${g##*/}\" 2>/dev/null; done",
          "for r in \"$DIR\"/rules/*; do",
          "  [ -e \"$r\" ] || continue",
          "  set -- $(cat \"$r\")",
          "  shift; iptables -D \"$@\" 2>/dev/null",
          "done",
          "for a in \"$ADDRESSES\"/*; do [ \"$(cat \"$a\" 2>/dev/null)\" = \"$DIR\" ] && rm -f \"$a\"; done",
          "rm -rf \"$DIR\"");

  private final Process process;

  private Watchdog(Process process) {
    this.process = process;
  }

  public static Watchdog start(StateDir state) {
    ProcessBuilder builder = new ProcessBuilder("setsid", "sh", "-c", SCRIPT);
    builder.environment().put("OWNER", String.valueOf(ProcessHandle.current().pid()));
    builder.environment().put("DIR", state.dir().toString());
    builder.environment().put("ADDRESSES", state.addressesDir().toString());
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      return new Watchdog(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the sandbox watchdog", e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
