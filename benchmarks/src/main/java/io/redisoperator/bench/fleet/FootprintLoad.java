package io.redisoperator.bench.fleet;

import io.vertx.core.http.HttpClientAgent;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The controller's polls of every agent (its defaults, {@code controller.pod.PollSchedule}): a
 * primary's plain poll every half interval and a watch held beside it ({@code since} its last
 * version, up to ten intervals, at most 8 s), a replica's plain poll every interval; one plain poll
 * in flight per pod at a time. Records the plain polls' round trips.
 */
final class FootprintLoad {
  private static final long WATCH_HOLD_MAX_MILLIS = 8_000;
  private static final long POLL_TIMEOUT_MILLIS = 2_000;
  private static final int MAX_SAMPLES = 4_000_000;

  /** The plain polls answered in the window: round trips and failures. */
  record Window(long[] nanos, long errors) {
    long answered() {
      return nanos.length;
    }

    double percentileMillis(int p) {
      if (nanos.length == 0) {
        return Double.NaN;
      }
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)]
          / 1e6;
    }
  }

  private final FootprintClient client;
  private final List<FootprintClient.Agent> agents;
  private final long intervalMillis;
  private final AtomicReferenceArray<String> versions;
  private final List<Long> timers = new ArrayList<>();
  private volatile boolean stopped;
  private final long[] samples = new long[MAX_SAMPLES];
  private final AtomicInteger sampleCount = new AtomicInteger();
  private final AtomicLong errors = new AtomicLong();

  private FootprintLoad(
      FootprintClient client, List<FootprintClient.Agent> agents, long intervalMillis) {
    this.client = client;
    this.agents = agents;
    this.intervalMillis = intervalMillis;
    this.versions = new AtomicReferenceArray<>(agents.size());
  }

  static FootprintLoad of(
      FootprintClient client,
      FootprintPlan plan,
      List<FootprintPlan.ClientMaterial> clients,
      long intervalMillis)
      throws GeneralSecurityException {
    List<FootprintClient.Agent> agents = new ArrayList<>();
    for (int c = 0; c < plan.clusters().size(); c++) {
      HttpClientAgent http = client.clusterClient(clients.get(c));
      for (FootprintPlan.Pod pod : plan.clusters().get(c).pods()) {
        agents.add(new FootprintClient.Agent(pod.name(), pod.ip(), pod.primary(), http));
      }
    }
    return new FootprintLoad(client, agents, intervalMillis);
  }

  /** Connections the steady load keeps open: one per agent and one per primary's watch. */
  int connections() {
    return agents.size() + (int) agents.stream().filter(FootprintClient.Agent::primary).count();
  }

  /**
   * Every agent's first status request (its connection's TLS handshake), {@code concurrency} at a
   * time; returns how many failed.
   */
  int contactAll(int concurrency) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(contactNext(next, failed));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    return failed.get();
  }

  private CompletableFuture<Void> contactNext(AtomicInteger next, AtomicInteger failed) {
    int i = next.getAndIncrement();
    if (i >= agents.size()) {
      return CompletableFuture.completedFuture(null);
    }
    return client
        .status(agents.get(i), null, 0, 30_000)
        .handle(
            (answer, failure) -> {
              if (failure != null || answer.status() != 200) {
                failed.incrementAndGet();
              } else {
                versions.set(i, answer.version());
              }
              return null;
            })
        .thenCompose(x -> contactNext(next, failed));
  }

  /** Starts every agent's plain polls (at a random phase) and the primaries' watches. */
  void startSteady() {
    for (int i = 0; i < agents.size(); i++) {
      FootprintClient.Agent agent = agents.get(i);
      long period = agent.primary() ? intervalMillis / 2 : intervalMillis;
      boolean[] inFlight = {false};
      int index = i;
      timers.add(
          client
              .vertx()
              .setPeriodic(
                  1 + ThreadLocalRandom.current().nextLong(period),
                  period,
                  id -> {
                    if (!inFlight[0] && !stopped) {
                      inFlight[0] = true;
                      poll(index).whenComplete((x, y) -> inFlight[0] = false);
                    }
                  }));
      if (agent.primary()) {
        watch(i);
      }
    }
  }

  private CompletableFuture<Void> poll(int i) {
    long started = System.nanoTime();
    return client
        .status(agents.get(i), null, 0, POLL_TIMEOUT_MILLIS)
        .handle(
            (answer, failure) -> {
              if (failure != null || answer.status() != 200) {
                errors.incrementAndGet();
              } else {
                versions.set(i, answer.version());
                int slot = sampleCount.getAndIncrement();
                if (slot < MAX_SAMPLES) {
                  samples[slot] = System.nanoTime() - started;
                }
              }
              return null;
            });
  }

  private void watch(int i) {
    if (stopped) {
      return;
    }
    long hold = Math.min(WATCH_HOLD_MAX_MILLIS, intervalMillis * 10);
    client
        .status(agents.get(i), versions.get(i), hold, hold + POLL_TIMEOUT_MILLIS)
        .whenComplete(
            (answer, failure) -> {
              if (failure != null || answer.status() != 200) {
                client.vertx().setTimer(intervalMillis, id -> watch(i));
              } else {
                versions.set(i, answer.version());
                client.vertx().setTimer(50, id -> watch(i));
              }
            });
  }

  /** The window starts now. */
  void resetWindow() {
    errors.set(0);
    sampleCount.set(0);
  }

  Window window() {
    int n = Math.min(sampleCount.get(), MAX_SAMPLES);
    return new Window(Arrays.copyOf(samples, n), errors.get());
  }

  void stop() {
    stopped = true;
    timers.forEach(client.vertx()::cancelTimer);
  }
}
