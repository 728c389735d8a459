package io.redisoperator.bench.scale;

import java.util.ArrayList;
import java.util.List;

/** The JVM flags the benchmark starts the controller and the fleet with. */
final class ScaleJvmFlags {
  private ScaleJvmFlags() {}

  /**
   * As the chart's {@code javaOpts} (C1 only: its C2 compilations were half of a start-up's CPU;
   * the heap committed at its maximum, as {@code -XX:InitialRAMPercentage} does), then {@code
   * extra}. fabric8's 10 s request timeout is too short for the first LISTs on a loaded shared
   * machine (the informers stop and the controller exits): {@code requestTimeoutMillis} lets it
   * start there.
   */
  static List<String> controller(
      String heap, int requestTimeoutMillis, boolean statusLongPoll, List<String> extra) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx" + heap,
                "-Xms" + heap,
                "-Xss512k",
                "-Djava.net.preferIPv4Stack=true",
                "-Dkubernetes.request.timeout=" + requestTimeoutMillis,
                "-Dredisoperator.statusLongPoll=" + statusLongPoll));
    flags.addAll(extra);
    return flags;
  }

  static List<String> fleet(String heap) {
    return List.of(
        "-XX:+UseSerialGC", "-Xmx" + heap, "-Xss512k", "-Djava.net.preferIPv4Stack=true");
  }
}
