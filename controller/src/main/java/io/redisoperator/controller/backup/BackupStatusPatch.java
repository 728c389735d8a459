package io.redisoperator.controller.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.json.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Pure: the JSON merge patches of a RedisBackup's status, one per phase change. */
public final class BackupStatusPatch {
  private BackupStatusPatch() {}

  public static String pending(String reason) {
    ObjectNode s = status();
    s.put("phase", "Pending");
    s.put("error", reason);
    return wrap(s);
  }

  public static String running(String pod, String backupId, ObjectLocation location, Instant now) {
    ObjectNode s = status();
    s.put("phase", "Running");
    s.put("instance", pod);
    s.put("backupId", backupId);
    s.put("objectKey", location.key());
    s.put("location", location.uri());
    s.put("startedAt", time(now));
    s.putNull("error");
    return wrap(s);
  }

  public static String completed(BackupProgress p, Instant now) {
    ObjectNode s = status();
    s.put("phase", "Completed");
    s.put("sizeBytes", p.sizeBytes());
    s.put("sha256", p.sha256());
    s.put(
        "stoppedAt",
        time(p.finishedAtMillis() == null ? now : Instant.ofEpochMilli(p.finishedAtMillis())));
    s.putNull("error");
    return wrap(s);
  }

  public static String failed(String error, Instant now) {
    ObjectNode s = status();
    s.put("phase", "Failed");
    s.put("error", error);
    s.put("stoppedAt", time(now));
    return wrap(s);
  }

  /**
   * The merge patch setting {@code metadata.finalizers} to exactly {@code finalizers} (null when
   * empty: explicit JSON, since a serializer that drops empty lists would turn the release into a
   * no-op).
   */
  public static String finalizers(java.util.List<String> finalizers) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode metadata = root.putObject("metadata");
    if (finalizers.isEmpty()) {
      metadata.putNull("finalizers");
    } else {
      finalizers.forEach(metadata.putArray("finalizers")::add);
    }
    return root.toString();
  }

  public static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static ObjectNode status() {
    return Json.mapper().createObjectNode();
  }

  private static String wrap(ObjectNode status) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.set("status", status);
    return root.toString();
  }
}
