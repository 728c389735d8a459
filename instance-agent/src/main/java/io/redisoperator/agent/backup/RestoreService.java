package io.redisoperator.agent.backup;

import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.secrets.ProjectedFiles;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.BackupManifest;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.agent.RestoreSource;
import io.redisoperator.protocol.crd.BackupMethod;
import io.redisoperator.protocol.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bootstrap restore, run before every Redis start of a pod whose cluster names a backup in
 * spec.bootstrap: on the first instance of a new cluster it downloads the object into a staging
 * directory on the data volume, verifies its SHA-256, then renames the dataset into place in one
 * step and leaves a marker. Until that has succeeded Redis does not start: a failed restore never
 * becomes an empty primary.
 */
public final class RestoreService {
  private static final Logger log = LoggerFactory.getLogger(RestoreService.class);
  static final String MARKER = ".redis-operator-restored";
  static final String STAGING = ".redis-operator-restore-staging";

  private final Path restoreDir;
  private final Path credentialsDir;
  private final Path dataDir;
  private final String podName;
  private final int ordinal;
  private final Supplier<RedisFileNames> fileNames;
  private final Consumer<BackupProgress> progress;
  private final Clock clock;

  public RestoreService(
      Path restoreDir,
      Path credentialsDir,
      Path dataDir,
      String podName,
      int ordinal,
      Supplier<RedisFileNames> fileNames,
      Consumer<BackupProgress> progress,
      Clock clock) {
    this.restoreDir = restoreDir;
    this.credentialsDir = credentialsDir;
    this.dataDir = dataDir;
    this.podName = podName;
    this.ordinal = ordinal;
    this.fileNames = fileNames;
    this.progress = progress;
    this.clock = clock;
  }

  /** Whether the pod mounts a restore source (the cluster has spec.bootstrap). */
  public boolean configured() {
    return Files.exists(restoreDir.resolve(InstanceLayout.RESTORE_KEY));
  }

  /**
   * Blocking: returns once Redis may start (restored, or nothing to restore); throws when it must
   * not start yet. Runs again before every start, so a failed attempt is retried with the
   * supervisor's backoff.
   */
  public void ensureRestored(Optional<ClusterView> view) throws BackupException {
    RedisFileNames names = fileNames.get();
    RestoreDecision decision =
        RestoreDecision.decide(
            configured(),
            podName,
            ordinal,
            view,
            Files.exists(dataDir.resolve(MARKER)),
            names.datasetIn(dataDir));
    switch (decision.action()) {
      case NONE -> {}
      case WAIT -> throw new BackupException("restore pending: " + decision.reason());
      case ADOPT -> {
        log.warn("restore: {}; keeping it", decision.reason());
        writeMarker("adopted");
      }
      case RESTORE -> restore(readSource(), names);
    }
  }

  private RestoreSource readSource() throws BackupException {
    try {
      Optional<ProjectedValue> json = ProjectedFiles.read(restoreDir, InstanceLayout.RESTORE_KEY);
      if (json.isEmpty()) {
        throw new BackupException(
            "the restore source " + restoreDir.resolve(InstanceLayout.RESTORE_KEY) + " vanished");
      }
      RestoreSource source = Json.mapper().readValue(json.get().value(), RestoreSource.class);
      BackupRequests.validate(source.location());
      return source;
    } catch (IOException e) {
      throw new BackupException("unreadable restore source: " + e.getMessage(), e);
    } catch (BackupRequests.Invalid e) {
      throw new BackupException("invalid restore source: " + e.getMessage(), e);
    }
  }

  private void restore(RestoreSource source, RedisFileNames names) throws BackupException {
    ObjectLocation location = source.location();
    long started = clock.millis();
    String id = "restore";
    report(
        new BackupProgress(
            id,
            source.method(),
            BackupProgress.State.RUNNING,
            location.uri(),
            0,
            null,
            null,
            started,
            null,
            null));
    log.info("restoring {} into {} before Redis starts", location.uri(), dataDir);
    try (S3Client s3 =
        ObjectStoreClients.create(location, BackupCredentials.read(credentialsDir))) {
      RestoreSource complete = withManifest(s3, source);
      Path staging = dataDir.resolve(STAGING);
      DataDirectory.deleteRecursively(staging);
      Files.createDirectories(staging);
      StagedDataset staged;
      try (InputStream body = s3.getObject(r -> r.bucket(location.bucket()).key(location.key()))) {
        staged =
            StagedDataset.write(
                body,
                complete.method(),
                names,
                staging,
                bytes ->
                    report(
                        new BackupProgress(
                            id,
                            complete.method(),
                            BackupProgress.State.RUNNING,
                            location.uri(),
                            bytes,
                            null,
                            null,
                            started,
                            null,
                            null)));
      }
      if (!staged.sha256().equals(complete.sha256())) {
        DataDirectory.deleteRecursively(staging);
        throw new BackupException(
            "checksum mismatch for "
                + location.uri()
                + ": expected sha256 "
                + complete.sha256()
                + ", got "
                + staged.sha256()
                + " (nothing was restored)");
      }
      DataDirectory.swapIn(staging, staged.entry(), dataDir);
      writeMarker(location.uri());
      DataDirectory.deleteRecursively(staging);
      report(
          new BackupProgress(
              id,
              complete.method(),
              BackupProgress.State.COMPLETED,
              location.uri(),
              staged.sizeBytes(),
              staged.sizeBytes(),
              staged.sha256(),
              started,
              clock.millis(),
              null));
      log.info("restored {} ({} bytes, sha256 verified)", location.uri(), staged.sizeBytes());
    } catch (BackupException e) {
      failed(source, location, started, e.getMessage());
      throw e;
    } catch (IOException | RuntimeException e) {
      String error =
          "restore of " + location.uri() + " failed: " + StoreErrors.describe(e, location);
      failed(source, location, started, error);
      throw new BackupException(error, e);
    }
  }

  private void failed(RestoreSource source, ObjectLocation location, long started, String error) {
    log.error("restore failed, Redis stays stopped: {}", error);
    report(
        new BackupProgress(
            "restore",
            source.method(),
            BackupProgress.State.FAILED,
            location.uri(),
            0,
            null,
            null,
            started,
            clock.millis(),
            error));
  }

  /**
   * Fills a missing method or checksum from the manifest; without either, the object is no
   * completed backup.
   */
  private static RestoreSource withManifest(S3Client s3, RestoreSource source)
      throws BackupException {
    if (source.method() != null && source.sha256() != null) {
      return source;
    }
    ObjectLocation l = source.location();
    BackupManifest manifest;
    try {
      byte[] json =
          s3.getObjectAsBytes(r -> r.bucket(l.bucket()).key(l.manifestKey())).asByteArray();
      manifest = Json.mapper().readValue(json, BackupManifest.class);
    } catch (IOException | RuntimeException e) {
      throw new BackupException(
          "no readable manifest "
              + l.manifestKey()
              + " beside the backup ("
              + StoreErrors.describe(e, l)
              + "): not a completed backup, or give method and sha256",
          e);
    }
    BackupMethod method = source.method() != null ? source.method() : manifest.method();
    String sha256 = source.sha256() != null ? source.sha256() : manifest.sha256();
    if (method == null || sha256 == null) {
      throw new BackupException("the manifest " + l.manifestKey() + " has no method or checksum");
    }
    return new RestoreSource(l, method, sha256);
  }

  private void writeMarker(String what) throws BackupException {
    try {
      Path tmp = dataDir.resolve(MARKER + ".tmp");
      Files.writeString(tmp, what + "\n", StandardCharsets.UTF_8);
      Files.move(
          tmp,
          dataDir.resolve(MARKER),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new BackupException("cannot record the restore in " + dataDir + ": " + e, e);
    }
  }

  private void report(BackupProgress p) {
    progress.accept(p);
  }
}
