package io.redisoperator.controller.backup;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What {@link BackupActor} remembers between looks: the backups whose end it recorded (a cache
 * still showing them Running is not followed again), when each Running backup's agent last
 * answered, and the last reason each backup's object could not be deleted (so each reason is
 * reported once). Keys are {@code namespace/name}; ends are remembered by uid.
 */
final class BackupMemory {
  private final Clock clock;
  private final Set<String> ended = new HashSet<>();
  private final Map<String, Long> lastContact = new HashMap<>();
  private final Map<String, String> deleteErrors = new HashMap<>();

  BackupMemory(Clock clock) {
    this.clock = clock;
  }

  /** Forgets the ends of backups that no longer exist. */
  void retainEnded(Collection<String> uids) {
    ended.retainAll(uids);
  }

  boolean endedHere(String uid) {
    return ended.contains(uid);
  }

  void recordEnd(String key, String uid) {
    lastContact.remove(key);
    ended.add(uid);
  }

  /** A deleted backup is looked at again, whatever its end. */
  void forgetEnd(String uid) {
    ended.remove(uid);
  }

  /** The backup's agent answered now. */
  void recordContact(String key) {
    lastContact.put(key, clock.millis());
  }

  /** Starts the unreachable count of a backup this process had not followed yet. */
  void followFromNow(String key) {
    lastContact.putIfAbsent(key, clock.millis());
  }

  long millisSinceContact(String key) {
    long now = clock.millis();
    return now - lastContact.getOrDefault(key, now);
  }

  /** Whether {@code reason} is news for this backup's object deletion (and remembers it). */
  boolean newDeleteError(String key, String reason) {
    return !reason.equals(deleteErrors.put(key, reason));
  }

  void clearDeleteError(String key) {
    deleteErrors.remove(key);
  }
}
