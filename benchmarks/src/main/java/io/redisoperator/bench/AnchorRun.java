package io.redisoperator.bench;

import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anchor's runs: the same writer as ours, discovering the primary through the three sentinels,
 * and the same fault, the primary's redis-server SIGKILLed. A run ends when every sentinel names
 * another primary and the writer's latest acknowledged write landed there; then the killed server
 * is started again as a replica (as a supervisor would) and the next run waits until it is linked.
 */
final class AnchorRun {
  private static final Logger log = LoggerFactory.getLogger(AnchorRun.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
  private static final long MARGIN_MILLIS = 1000;

  private AnchorRun() {}

  static List<FaultRun.Result> runAll(
      FailoverKind kind, int runs, boolean durability, long deadlineNanos, Path stateRoot) {
    List<FaultRun.Result> results = new ArrayList<>();
    try (AnchorSentinel anchor =
            AnchorSentinel.start(stateRoot, kind.downAfterMillis(), STARTUP_TIMEOUT);
        RedisLinks links =
            new RedisLinks(anchor.password(), Duration.ofMillis(durability ? 700 : 300))) {
      WriteLog writes = new WriteLog();
      Writer writer =
          new Writer(
              writes,
              durability,
              () -> links.connectViaSentinel(anchor.sentinelAddresses(), AnchorSentinel.MASTER));
      Thread writing = new Thread(writer, "anchor-writer");
      writing.setDaemon(true);
      writing.start();
      try {
        for (int run = 1; run <= runs && System.nanoTime() < deadlineNanos; run++) {
          results.add(one(anchor, writer, writes, links, kind, run));
        }
      } finally {
        writer.stop();
        try {
          writing.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return results;
  }

  private static FaultRun.Result one(
      AnchorSentinel anchor,
      Writer writer,
      WriteLog writes,
      RedisLinks links,
      FailoverKind kind,
      int run) {
    try {
      Polling.await(
          anchor::agreed, FaultRun.SETTLE_TIMEOUT, "the anchor to be whole before the run");
      writer.run(kind.label() + "-" + run);
      writes.drain();
      Polling.sleep(MARGIN_MILLIS);
      String primary = anchor.agreedPrimary().orElseThrow();
      long fault = System.nanoTime();
      anchor.killServer(primary);
      log.info("{} run {}: redis-server of primary {} SIGKILLed", kind.label(), run, primary);
      Polling.await(
          () -> {
            Optional<String> now = anchor.agreedPrimary();
            Optional<WriteLog.Ack> latest = writes.latest();
            return now.isPresent()
                && !now.get().equals(primary)
                && latest.isPresent()
                && latest.get().nanos() > fault
                && now.get().equals(latest.get().node());
          },
          FaultRun.SETTLE_TIMEOUT,
          "the sentinels to fail over and the writer to follow");
      long end = System.nanoTime();
      String newPrimary = anchor.agreedPrimary().orElseThrow();
      WriteLog.Snapshot snapshot = writes.drain();
      List<WriteLog.Ack> lost;
      try (StatefulRedisConnection<String, String> c =
          links.connect(new InetSocketAddress(newPrimary, 6379))) {
        lost = RunAnalysis.lost(snapshot.acks(), c);
      }
      anchor.restartServer(primary, newPrimary);
      List<WriteLog.Ack> kept = new ArrayList<>(snapshot.acks());
      kept.removeAll(new HashSet<>(lost));
      long from = fault - MARGIN_MILLIS * 1_000_000;
      FaultRun.Result result =
          new FaultRun.Result(
              true,
              RunAnalysis.maxGapMillis(kept, from, end),
              lost.size(),
              0,
              RunAnalysis.lossWindowMillis(lost.size(), snapshot.acks(), from, fault));
      log.info(
          "{} run {}: {} (acks {}, new primary {})",
          kind.label(),
          run,
          result,
          snapshot.acks().size(),
          newPrimary);
      return result;
    } catch (RuntimeException e) {
      log.warn("{} run {} failed: {}", kind.label(), run, e.toString());
      return new FaultRun.Result(false, 0, 0, 0, 0);
    }
  }
}
