package io.redisoperator.controller.pod;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A poller's log lines, naming its namespace, cluster and pod in the MDC as every controller line
 * does. The MDC is set only around a line that is logged: a poller handles thousands of messages a
 * second at 1000 clusters and logs none of them at the default level, and setting the MDC around
 * each message ({@code Behaviors.withMdc}) cost 1.6 % of the controller's steady CPU
 * (docs/performance.md, "Density").
 */
public final class PodLog {
  private static final Logger log = LoggerFactory.getLogger(PodActor.class);

  private final Map<String, String> context;

  public PodLog(String namespace, String cluster, String pod) {
    this.context = Map.of("namespace", namespace, "cluster", cluster, "pod", pod);
  }

  void debug(String format, Object... arguments) {
    if (!log.isDebugEnabled()) {
      return;
    }
    Map<String, String> outer = MDC.getCopyOfContextMap();
    context.forEach(MDC::put);
    try {
      log.debug(format, arguments);
    } finally {
      if (outer == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(outer);
      }
    }
  }
}
