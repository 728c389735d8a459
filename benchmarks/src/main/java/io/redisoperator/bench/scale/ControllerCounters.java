package io.redisoperator.bench.scale;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Counters read from the controller's {@code /metrics} (Prometheus text): how many reconcile passes
 * and status polls it has made since it started. Parsing is pure.
 */
record ControllerCounters(long passes, long polls, double pollSeconds) {
  static final ControllerCounters NONE = new ControllerCounters(-1, -1, -1);

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
        sum(prometheusText, "redis_operator_agent_poll_seconds_sum"));
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
