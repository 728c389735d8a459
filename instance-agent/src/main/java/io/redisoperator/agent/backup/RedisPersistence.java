package io.redisoperator.agent.backup;

import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.redis.RedisInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking reads of Redis' persistence settings and state, for the backup thread (never an actor).
 */
final class RedisPersistence {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final RedisCommands redis;

  RedisPersistence(RedisCommands redis) {
    this.redis = redis;
  }

  String config(String name) throws BackupException {
    String value = await(redis.configGet(name), "CONFIG GET " + name);
    if (value == null) {
      throw new BackupException("Redis does not know the setting " + name);
    }
    return value;
  }

  Path dir() throws BackupException {
    return Path.of(config("dir"));
  }

  RedisInfo persistence() throws BackupException {
    return await(redis.info("persistence"), "INFO persistence");
  }

  /** redis_version, for the manifest; null when Redis does not say. */
  String persistenceVersion() throws BackupException {
    return await(redis.info("server"), "INFO server").get("redis_version");
  }

  String bgsave() throws BackupException {
    return await(redis.bgsaveScheduled(), "BGSAVE SCHEDULE");
  }

  private static <T> T await(CompletionStage<T> stage, String what) throws BackupException {
    try {
      return stage.toCompletableFuture().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackupException("interrupted during " + what, e);
    } catch (ExecutionException e) {
      throw new BackupException(what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new BackupException(
          what + " did not answer within " + CALL_TIMEOUT.toSeconds() + " s", e);
    }
  }
}
