package io.redisoperator.agent.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.redisoperator.protocol.agent.BackupManifest;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.json.Json;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Pure: validates a {@code POST /v1/backup} body before anything happens; the message says what is
 * wrong.
 */
public final class BackupRequests {
  private static final Pattern BACKUP_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
  private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
  private static final int MAX_KEY_LENGTH = 1024;

  private BackupRequests() {}

  /** A body the agent refuses (400). */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    public Invalid(String message) {
      super(message);
    }
  }

  public static BackupRequest parse(String body) throws Invalid {
    if (body == null || body.isBlank()) {
      throw new Invalid("a JSON body is required");
    }
    BackupRequest r;
    try {
      r = Json.mapper().readValue(body, BackupRequest.class);
    } catch (JsonProcessingException e) {
      throw new Invalid("malformed BackupRequest: " + e.getOriginalMessage());
    }
    if (r == null) {
      throw new Invalid("a JSON object is required");
    }
    if (r.backupId() == null || !BACKUP_ID.matcher(r.backupId()).matches()) {
      throw new Invalid("backupId must be 1-128 letters, digits, '.', '_' or '-'");
    }
    if (r.method() == null) {
      throw new Invalid("method must be rdb or aof");
    }
    validate(r.location());
    return r;
  }

  static void validate(ObjectLocation l) throws Invalid {
    if (l == null) {
      throw new Invalid("location is required");
    }
    if (l.bucket() == null || !BUCKET.matcher(l.bucket()).matches()) {
      throw new Invalid(
          "location.bucket must be a bucket name (3-63 lowercase letters, digits, '.', '-')");
    }
    if (l.key() == null
        || l.key().isBlank()
        || l.key().length() > MAX_KEY_LENGTH
        || l.key().startsWith("/")) {
      throw new Invalid(
          "location.key must be a relative object key of at most "
              + MAX_KEY_LENGTH
              + " characters");
    }
    if (l.key().endsWith(BackupManifest.SUFFIX)) {
      throw new Invalid(
          "location.key must not end in " + BackupManifest.SUFFIX + " (reserved for manifests)");
    }
    if (l.endpoint() != null) {
      try {
        URI uri = URI.create(l.endpoint());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
            || uri.getHost() == null) {
          throw new Invalid("location.endpoint must be an http(s) URL");
        }
      } catch (IllegalArgumentException e) {
        throw new Invalid("location.endpoint must be an http(s) URL");
      }
    }
  }
}
