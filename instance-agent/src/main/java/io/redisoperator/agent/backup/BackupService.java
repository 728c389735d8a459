package io.redisoperator.agent.backup;

import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.protocol.agent.BackupManifest;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.crd.BackupMethod;
import io.redisoperator.protocol.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs the agent's backups, one at a time, on a thread of their own (never an actor's or the HTTP
 * server's): take a snapshot, stream it to the store, then write the manifest that marks the backup
 * complete. The latest backup's progress is served by {@code GET /v1/backup} and in {@code
 * /v1/status}.
 */
public final class BackupService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackupService.class);

  private final Path credentialsDir;
  private final RedisPersistence redis;
  private final String podName;
  private final Clock clock;
  private final AtomicReference<BackupProgress> latest = new AtomicReference<>();

  /** Part buffers kept between backups (one runs at a time), so only the first one allocates. */
  private final PartBuffers partBuffers =
      new PartBuffers(MultipartUploadStream.MIN_PART_BYTES, MultipartUploadStream.BUFFERS);

  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "backup");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closing;

  public BackupService(Path credentialsDir, RedisCommands redis, String podName, Clock clock) {
    this.credentialsDir = credentialsDir;
    this.redis = new RedisPersistence(redis);
    this.podName = podName;
    this.clock = clock;
  }

  /** The latest backup, running or finished; empty when none ran since the agent started. */
  public Optional<BackupProgress> latest() {
    return Optional.ofNullable(latest.get());
  }

  /**
   * Starts {@code request} in the background; empty when started, else the progress of the backup
   * that is still running (the caller answers 409). The same backupId asked again while it runs or
   * after it ran is not restarted: its progress is returned as if just started (idempotent retries
   * of the controller's call).
   */
  public synchronized Optional<BackupProgress> start(BackupRequest request) {
    BackupProgress current = latest.get();
    if (current != null && current.backupId().equals(request.backupId())) {
      return Optional.empty();
    }
    if (current != null && !current.finished()) {
      return Optional.of(current);
    }
    BackupProgress started =
        new BackupProgress(
            request.backupId(),
            request.method(),
            BackupProgress.State.RUNNING,
            request.location().uri(),
            0,
            null,
            null,
            clock.millis(),
            null,
            null);
    latest.set(started);
    worker.execute(() -> run(request, started));
    return Optional.empty();
  }

  /**
   * The bootstrap restore's progress, shown where a backup's would be (no backup runs before Redis
   * has started).
   */
  public void recordRestore(BackupProgress progress) {
    latest.set(progress);
  }

  private void run(BackupRequest request, BackupProgress started) {
    ObjectLocation location = request.location();
    log.info("backup {} ({}) to {} started", request.backupId(), request.method(), location.uri());
    try {
      UploadStream.Result result = transfer(request, location);
      finish(started, BackupProgress.State.COMPLETED, result.sizeBytes(), result.sha256(), null);
      log.info(
          "backup {} completed: {} bytes, sha256 {}",
          request.backupId(),
          result.sizeBytes(),
          result.sha256());
    } catch (BackupException e) {
      fail(started, e.getMessage());
    } catch (RuntimeException | java.io.IOException e) {
      fail(
          started,
          closing ? "the agent stopped during the backup" : StoreErrors.describe(e, location));
    } catch (Error e) {
      fail(started, "internal error: " + e);
      throw e;
    }
  }

  private UploadStream.Result transfer(BackupRequest request, ObjectLocation location)
      throws BackupException, java.io.IOException {
    var credentials = BackupCredentials.read(credentialsDir);
    try (S3Client s3 = ObjectStoreClients.create(location, credentials);
        Snapshot snapshot =
            request.method() == BackupMethod.AOF
                ? AofSnapshot.take(redis)
                : RdbSnapshot.take(redis, () -> closing)) {
      String redisVersion = redis.persistenceVersion();
      UploadStream upload;
      try {
        upload = openUpload(s3, location, snapshot);
      } catch (RuntimeException e) {
        throw new BackupException(StoreErrors.describe(e, location), e);
      }
      UploadStream.Result result;
      try (upload) {
        snapshot.writeTo(upload);
        result = upload.complete();
      } catch (RuntimeException | java.io.IOException e) {
        throw new BackupException(StoreDiagnosis.describe(s3, location, unwrap(e)), e);
      }
      writeManifest(s3, location, request, result, redisVersion);
      return result;
    }
  }

  /**
   * One PUT when the snapshot's length is known and S3 takes it in one request (no completion step
   * in the store, which some stores spend copying the parts), else a multipart upload.
   */
  private UploadStream openUpload(S3Client s3, ObjectLocation location, Snapshot snapshot) {
    long bytes = snapshot.expectedBytes();
    if (snapshot.lengthExact() && bytes > 0 && bytes <= SinglePutStream.MAX_BYTES) {
      return SinglePutStream.open(s3, location, bytes, this::progressed);
    }
    return MultipartUploadStream.open(s3, location, bytes, partBuffers, this::progressed);
  }

  /**
   * The manifest makes the backup complete; without it the object is removed again so no
   * half-backup remains.
   */
  private void writeManifest(
      S3Client s3,
      ObjectLocation location,
      BackupRequest request,
      UploadStream.Result result,
      String redisVersion)
      throws BackupException {
    BackupManifest manifest =
        new BackupManifest(
            request.backupId(),
            request.method(),
            result.sizeBytes(),
            result.sha256(),
            redisVersion,
            Instant.ofEpochMilli(clock.millis()).toString(),
            podName);
    try {
      byte[] json = Json.mapper().writeValueAsBytes(manifest);
      s3.putObject(
          r ->
              r.bucket(location.bucket())
                  .key(location.manifestKey())
                  .contentType("application/json"),
          RequestBody.fromBytes(json));
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      try {
        s3.deleteObject(r -> r.bucket(location.bucket()).key(location.key()));
      } catch (RuntimeException ignored) {
        log.warn("could not remove {} after its manifest failed", location.uri());
      }
      throw new BackupException(
          "cannot write the backup manifest: " + StoreErrors.describe(e, location), e);
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof java.io.IOException && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private void progressed(long bytes) {
    latest.updateAndGet(
        p ->
            p == null || p.finished()
                ? p
                : new BackupProgress(
                    p.backupId(),
                    p.method(),
                    p.state(),
                    p.location(),
                    bytes,
                    null,
                    null,
                    p.startedAtMillis(),
                    null,
                    null));
  }

  private void fail(BackupProgress started, String error) {
    log.error("backup {} failed: {}", started.backupId(), error);
    finish(started, BackupProgress.State.FAILED, null, null, error);
  }

  private void finish(
      BackupProgress started, BackupProgress.State state, Long size, String sha256, String error) {
    latest.updateAndGet(
        p ->
            new BackupProgress(
                started.backupId(),
                started.method(),
                state,
                started.location(),
                size != null ? size : p == null ? 0 : p.bytesTransferred(),
                size,
                sha256,
                started.startedAtMillis(),
                clock.millis(),
                error));
  }

  @Override
  public void close() {
    closing = true;
    worker.shutdownNow();
  }
}
