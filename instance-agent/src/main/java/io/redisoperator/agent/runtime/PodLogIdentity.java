package io.redisoperator.agent.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * An agent JVM serves exactly one pod, so every line it logs names that pod: actors get the MDC
 * from {@code Behaviors.withMdc}, and this filter fills it in on any other thread (Lettuce's event
 * loops, future callbacks, the HTTP server) the first time that thread logs.
 */
public final class PodLogIdentity extends TurboFilter {
  private static boolean ambiguous;
  private final Map<String, String> identity;

  private PodLogIdentity(Map<String, String> identity) {
    this.identity = identity;
  }

  public static Map<String, String> of(String namespace, String cluster, String pod) {
    return Map.of("namespace", namespace, "cluster", cluster, "pod", pod);
  }

  /**
   * Installs the filter (a no-op when the logging backend is not logback). A JVM hosting several
   * agents (a test harness) has no single identity: the filter is removed rather than naming the
   * wrong pod.
   */
  public static synchronized void install(Map<String, String> identity) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    boolean first =
        context.getTurboFilterList().stream().noneMatch(f -> f instanceof PodLogIdentity);
    boolean same =
        context.getTurboFilterList().stream()
            .anyMatch(f -> f instanceof PodLogIdentity p && p.identity.equals(identity));
    if (same) {
      return;
    }
    context.getTurboFilterList().removeIf(f -> f instanceof PodLogIdentity);
    if (first && !ambiguous) {
      PodLogIdentity filter = new PodLogIdentity(identity);
      filter.setContext(context);
      filter.start();
      context.addTurboFilter(filter);
    } else {
      ambiguous = true;
    }
  }

  /** Forgets what was installed (tests). */
  static synchronized void reset() {
    ambiguous = false;
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getTurboFilterList().removeIf(f -> f instanceof PodLogIdentity);
    }
  }

  @Override
  public FilterReply decide(
      Marker marker,
      ch.qos.logback.classic.Logger logger,
      Level level,
      String format,
      Object[] params,
      Throwable t) {
    if (MDC.get("pod") == null) {
      identity.forEach(MDC::put);
    }
    return FilterReply.NEUTRAL;
  }
}
