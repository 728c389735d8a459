package io.redisoperator.agent.backup;

import io.redisoperator.protocol.agent.ObjectLocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams whatever is written to it into one S3 multipart upload, with bounded memory: two part
 * buffers, one being filled while the other uploads. Counts the bytes and computes the SHA-256 of
 * the whole object on the way. Nothing is visible in the bucket until {@link #complete()}; {@link
 * #abort()} discards the parts already sent.
 */
public final class MultipartUploadStream extends OutputStream {
  private static final Logger log = LoggerFactory.getLogger(MultipartUploadStream.class);
  static final int MIN_PART_BYTES = 8 * 1024 * 1024;

  /** S3 accepts at most 10,000 parts; leave room for an estimate that falls short. */
  static final int PLANNED_PARTS = 9_000;

  static final int MAX_PART_BYTES = 512 * 1024 * 1024;

  /** The object as stored. */
  public record Result(long sizeBytes, String sha256) {}

  private final S3Client s3;
  private final ObjectLocation location;
  private final String uploadId;
  private final LongConsumer progress;
  private final MessageDigest sha256;
  private final ExecutorService uploader;
  private final List<CompletedPart> parts = new ArrayList<>();
  private byte[] filling;
  private byte[] spare;
  private int filled;
  private long total;
  private long uploaded;
  private Future<CompletedPart> inFlight;
  private int inFlightLength;
  private boolean finished;

  private MultipartUploadStream(
      S3Client s3, ObjectLocation location, String uploadId, int partBytes, LongConsumer progress) {
    this.s3 = s3;
    this.location = location;
    this.uploadId = uploadId;
    this.progress = progress;
    this.filling = new byte[partBytes];
    this.spare = new byte[partBytes];
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    this.uploader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "backup-upload");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the multipart upload.
   *
   * @param expectedBytes the size the object will roughly have (0 when unknown): sets the part size
   *     so it fits in S3's part count
   * @param progress told the number of bytes uploaded after every part
   */
  public static MultipartUploadStream open(
      S3Client s3, ObjectLocation location, long expectedBytes, LongConsumer progress) {
    String uploadId =
        s3.createMultipartUpload(
                b ->
                    b.bucket(location.bucket())
                        .key(location.key())
                        .contentType("application/octet-stream"))
            .uploadId();
    return new MultipartUploadStream(s3, location, uploadId, partBytesFor(expectedBytes), progress);
  }

  /**
   * At least 8 MiB (fewer requests), more for objects that would need more than {@link
   * #PLANNED_PARTS} parts.
   */
  static int partBytesFor(long expectedBytes) {
    long needed = (expectedBytes + PLANNED_PARTS - 1) / PLANNED_PARTS;
    long mib = 1024 * 1024;
    long rounded = (needed + mib - 1) / mib * mib;
    return (int) Math.min(MAX_PART_BYTES, Math.max(MIN_PART_BYTES, rounded));
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    checkOpen();
    while (len > 0) {
      int n = Math.min(len, filling.length - filled);
      System.arraycopy(b, off, filling, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == filling.length) {
        sendFilledPart();
      }
    }
  }

  /**
   * Hands the filled buffer to the uploader and continues in the other one once its own upload has
   * finished.
   */
  private void sendFilledPart() throws IOException {
    sha256.update(filling, 0, filled);
    total += filled;
    awaitInFlight();
    byte[] body = filling;
    int length = filled;
    int partNumber = parts.size() + 1;
    inFlight =
        uploader.submit(
            () -> {
              String etag =
                  s3.uploadPart(
                          r ->
                              r.bucket(location.bucket())
                                  .key(location.key())
                                  .uploadId(uploadId)
                                  .partNumber(partNumber)
                                  .contentLength((long) length),
                          RequestBody.fromContentProvider(
                              () -> new ByteArrayInputStream(body, 0, length),
                              length,
                              "application/octet-stream"))
                      .eTag();
              return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
            });
    inFlightLength = length;
    filling = spare;
    spare = body;
    filled = 0;
  }

  private void awaitInFlight() throws IOException {
    if (inFlight == null) {
      return;
    }
    try {
      CompletedPart part = inFlight.get();
      parts.add(part);
      inFlight = null;
      uploaded += inFlightLength;
      progress.accept(uploaded);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while uploading a part", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    }
  }

  /** Uploads what is left and makes the object visible; returns its size and SHA-256. */
  public Result complete() throws IOException {
    checkOpen();
    if (filled > 0 || (parts.isEmpty() && inFlight == null)) {
      sendFilledPart();
    }
    awaitInFlight();
    s3.completeMultipartUpload(
        r ->
            r.bucket(location.bucket())
                .key(location.key())
                .uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    finished = true;
    uploader.shutdown();
    return new Result(total, HexFormat.of().formatHex(sha256.digest()));
  }

  /** Discards the upload: the parts sent so far are deleted and no object appears. Never throws. */
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    if (inFlight != null) {
      inFlight.cancel(true);
    }
    uploader.shutdownNow();
    try {
      s3.abortMultipartUpload(
          r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
    } catch (RuntimeException e) {
      log.warn("could not abort the multipart upload of {}: {}", location.uri(), e.toString());
    }
  }

  /** Closing without {@link #complete()} aborts: an unfinished object never becomes visible. */
  @Override
  public void close() {
    abort();
  }

  private void checkOpen() throws IOException {
    if (finished) {
      throw new IOException("the upload of " + location.uri() + " is already finished");
    }
  }
}
