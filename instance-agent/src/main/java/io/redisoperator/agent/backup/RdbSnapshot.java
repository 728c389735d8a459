package io.redisoperator.agent.backup;

import io.redisoperator.agent.redis.RedisInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * A point-in-time RDB: {@code BGSAVE SCHEDULE}, wait until a save requested after it has finished,
 * then open the dump file. The open handle keeps that snapshot even if a later save renames a newer
 * file over it.
 */
final class RdbSnapshot implements Snapshot {
  private static final long POLL_MILLIS = 100;

  private final FileChannel file;
  private final long size;

  private RdbSnapshot(FileChannel file, long size) {
    this.file = file;
    this.size = size;
  }

  static RdbSnapshot take(RedisPersistence redis, BooleanSupplier cancelled)
      throws BackupException {
    long savesBefore = saves(redis.persistence());
    while (true) {
      try {
        redis.bgsave();
        break;
      } catch (BackupException e) {
        // Another save is running: its fork started before this request, so wait for it and ask
        // again.
        if (!String.valueOf(e.getMessage()).contains("already in progress")) {
          throw e;
        }
        waitForSaveAfter(redis, -1, cancelled);
        savesBefore = saves(redis.persistence());
      }
    }
    waitForSaveAfter(redis, savesBefore, cancelled);
    Path dump;
    try {
      dump = redis.dir().resolve(redis.config("dbfilename"));
    } catch (BackupException e) {
      throw new BackupException("cannot find the RDB file: " + e.getMessage(), e);
    }
    try {
      FileChannel channel = FileChannel.open(dump, StandardOpenOption.READ);
      return new RdbSnapshot(channel, channel.size());
    } catch (IOException e) {
      throw new BackupException("cannot open " + dump + ": " + e, e);
    }
  }

  /**
   * Waits until no save runs and (when {@code savesBefore} >= 0) one more save than before has
   * succeeded.
   */
  private static void waitForSaveAfter(
      RedisPersistence redis, long savesBefore, BooleanSupplier cancelled) throws BackupException {
    while (true) {
      if (cancelled.getAsBoolean()) {
        throw new BackupException("cancelled while Redis was saving");
      }
      RedisInfo info = redis.persistence();
      boolean running = "1".equals(info.get("rdb_bgsave_in_progress"));
      if (!running) {
        if (savesBefore < 0) {
          return;
        }
        if (saves(info) > savesBefore) {
          if (!"ok".equals(info.get("rdb_last_bgsave_status"))) {
            throw new BackupException(
                "BGSAVE failed (rdb_last_bgsave_status:"
                    + info.get("rdb_last_bgsave_status")
                    + "): see the Redis log");
          }
          return;
        }
      }
      try {
        Thread.sleep(
            POLL_MILLIS); // Redis offers no way to be told when a fork finishes; INFO is cheap.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackupException("interrupted while Redis was saving", e);
      }
    }
  }

  /** Saves since start: {@code rdb_saves} (Redis 7), else the last save time as a stand-in. */
  private static long saves(RedisInfo info) {
    OptionalLong saves = info.getLong("rdb_saves");
    if (saves.isPresent()) {
      return saves.getAsLong();
    }
    return info.getLong("rdb_last_save_time").orElse(0);
  }

  @Override
  public long expectedBytes() {
    return size;
  }

  /** The open file's size, which a later save cannot change (it renames a new file over it). */
  @Override
  public boolean lengthExact() {
    return true;
  }

  @Override
  public String suffix() {
    return ".rdb";
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    FileCopy.copy(file, 0, size, out);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
