package io.redisoperator.bench.scale;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Counters read from the controller's {@code /metrics} (Prometheus text): how many reconcile passes
 * and status polls it has made since it started, and how many of those polls took longer than a
 * primary's overdue time (250 ms, its unreachable record) and than the default poll timeout (800
 * ms), by the histogram's first bucket at or above each. Parsing is pure.
 */
record ControllerCounters(
    long passes, long polls, double pollSeconds, long pollsOver250ms, long pollsOver800ms) {
  static final ControllerCounters NONE = new ControllerCounters(-1, -1, -1, -1, -1);

  private static final String POLL_BUCKET = "redis_operator_agent_poll_seconds_bucket";

  /** The counters now; {@link #NONE} when the controller does not answer. */
  static ControllerCounters read(String metricsUrl) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(metricsUrl))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? parse(response.body()) : NONE;
    } catch (IOException e) {
      return NONE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NONE;
    }
  }

  static ControllerCounters parse(String prometheusText) {
    return new ControllerCounters(
        (long) sum(prometheusText, "redis_operator_reconcile_seconds_count"),
        (long) sum(prometheusText, "redis_operator_agent_poll_seconds_count"),
        sum(prometheusText, "redis_operator_agent_poll_seconds_sum"),
        (long)
            (sum(prometheusText, "redis_operator_agent_poll_seconds_count")
                - bucketAtOrAbove(prometheusText, 0.25)),
        (long)
            (sum(prometheusText, "redis_operator_agent_poll_seconds_count")
                - bucketAtOrAbove(prometheusText, 0.8)));
  }

  /** The cumulative count of the smallest poll bucket whose bound is at least {@code seconds}. */
  private static double bucketAtOrAbove(String text, double seconds) {
    double bound = Double.MAX_VALUE;
    double count = 0;
    for (String line : text.split("\n")) {
      int le = line.indexOf("le=\"");
      if (!line.startsWith(POLL_BUCKET) || le < 0) {
        continue;
      }
      String value = line.substring(le + 4, line.indexOf('"', le + 4));
      double at = value.equals("+Inf") ? Double.MAX_VALUE : Double.parseDouble(value);
      if (at >= seconds && at < bound) {
        bound = at;
        count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return count;
  }

  /** The sum of every series of {@code metric} (any labels). */
  private static double sum(String text, String metric) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
