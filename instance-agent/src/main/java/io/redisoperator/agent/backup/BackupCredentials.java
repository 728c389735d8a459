package io.redisoperator.agent.backup;

import io.redisoperator.agent.secrets.ProjectedFiles;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.InstanceLayout;
import java.io.IOException;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The object-store credentials, read from the projected Secret files at the start of every
 * transfer: a rotated Secret is used from the next backup or restore on, without a restart. Never
 * logged.
 */
public final class BackupCredentials {
  private BackupCredentials() {}

  /**
   * Throws {@link BackupException} naming the missing file (the cluster's
   * spec.backup.credentialsSecret).
   */
  public static AwsBasicCredentials read(Path dir) throws BackupException {
    String accessKeyId = value(dir, InstanceLayout.BACKUP_KEY_ACCESS_KEY_ID);
    String secretAccessKey = value(dir, InstanceLayout.BACKUP_KEY_SECRET_ACCESS_KEY);
    return AwsBasicCredentials.create(accessKeyId, secretAccessKey);
  }

  private static String value(Path dir, String key) throws BackupException {
    String v;
    try {
      v = ProjectedFiles.read(dir, key).map(ProjectedValue::value).map(String::strip).orElse("");
    } catch (IOException e) {
      throw new BackupException(
          "cannot read the object-store credentials at " + dir.resolve(key) + ": " + e, e);
    }
    if (v.isEmpty()) {
      throw new BackupException(
          "no object-store credentials: "
              + dir.resolve(key)
              + " is missing or empty (set the cluster's"
              + " spec.backup.credentialsSecret to a Secret with keys "
              + InstanceLayout.BACKUP_KEY_ACCESS_KEY_ID
              + " and "
              + InstanceLayout.BACKUP_KEY_SECRET_ACCESS_KEY
              + ")");
    }
    return v;
  }
}
