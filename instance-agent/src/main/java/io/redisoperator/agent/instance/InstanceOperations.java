package io.redisoperator.agent.instance;

import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.protocol.agent.MonotonicClock;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operations on the instance, grouped by concern; each is an asynchronous, time-bounded chain
 * of Redis commands and file writes that turns one {@link InstanceState} into the next, ending
 * through the {@link StateApplier}. {@link InstanceActor} runs them one at a time.
 */
public final class InstanceOperations {

  /**
   * Where and as whom redis.conf is rendered.
   *
   * @param redisTlsDir where Redis' TLS files are projected (used only when the settings turn TLS
   *     on)
   */
  public record Layout(
      String podName,
      int ordinal,
      String podIp,
      int redisPort,
      Path dataDir,
      Path confFile,
      Path redisTlsDir) {}

  private final Layout layout;
  private final MonotonicClock clock;
  private final BootOperations boot;
  private final PromotionOperations promotion;
  private final ReplicationOperations replication;
  private final FencingOperations fencing;
  private final SettingsOperations settings;

  /**
   * @param clock the agent's one time source (the status board's): fence markers are dated and
   *     deadlines measured on it
   */
  public InstanceOperations(
      Layout layout,
      RedisCommands redis,
      StatusBoard board,
      AtomicReference<String> redisPassword,
      Executor blocking,
      MonotonicClock clock) {
    this.layout = layout;
    this.clock = clock;
    StateApplier applier = new StateApplier(layout, redis, board, blocking);
    this.boot = new BootOperations(layout, redis, applier, clock);
    this.promotion = new PromotionOperations(layout, redis, applier, board, redisPassword, clock);
    this.replication = new ReplicationOperations(redis, applier);
    this.fencing = new FencingOperations(applier, board, clock);
    this.settings = new SettingsOperations(redis, applier, board);
  }

  public Layout layout() {
    return layout;
  }

  public MonotonicClock clock() {
    return clock;
  }

  public BootOperations boot() {
    return boot;
  }

  public PromotionOperations promotion() {
    return promotion;
  }

  public ReplicationOperations replication() {
    return replication;
  }

  public FencingOperations fencing() {
    return fencing;
  }

  public SettingsOperations settings() {
    return settings;
  }

  public static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
