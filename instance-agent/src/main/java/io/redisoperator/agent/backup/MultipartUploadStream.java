package io.redisoperator.agent.backup;

import io.redisoperator.protocol.agent.ObjectLocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams whatever is written to it into one S3 multipart upload, with bounded memory: up to {@link
 * #PARTS_IN_FLIGHT} parts upload at once while the writer fills the next one, on at most {@code
 * PARTS_IN_FLIGHT + 1} buffers taken from {@link PartBuffers} and given back at the end. The
 * SHA-256 of the whole object is computed by the writer in stream order. Nothing is visible in the
 * bucket until {@link #complete()}; a part that fails fails the next write, and {@link #abort()}
 * discards the parts already sent.
 */
public final class MultipartUploadStream extends UploadStream {
  private static final Logger log = LoggerFactory.getLogger(MultipartUploadStream.class);
  static final int MIN_PART_BYTES = 8 * 1024 * 1024;

  /** S3 accepts at most 10,000 parts; leave room for an estimate that falls short. */
  static final int PLANNED_PARTS = 9_000;

  static final int MAX_PART_BYTES = 512 * 1024 * 1024;

  /**
   * Part uploads running at once: enough to keep the store busy while the writer reads and hashes
   * the next part, few enough that the buffers stay small.
   */
  static final int PARTS_IN_FLIGHT = 2;

  /** Buffers one upload uses at most: the parts in flight and the one being filled. */
  static final int BUFFERS = PARTS_IN_FLIGHT + 1;

  /** A small object's buffer is its own size, never less than this. */
  private static final int MIN_BUFFER_BYTES = 64 * 1024;

  /** How long {@link #abort()} lets the running part uploads end before it aborts the upload. */
  private static final long ABORT_WAIT_SECONDS = 30;

  private static final AtomicInteger UPLOADER_THREADS = new AtomicInteger();

  private final MultipartTarget target;
  private final PartBuffers pool;
  private final int partBytes;
  private final long expectedBytes;
  private final int maxInFlight;
  private final LongConsumer progress;
  private final MessageDigest sha256;
  private final ExecutorService uploader;

  /**
   * Every buffer this upload took from the pool, given back when no upload reads them any more: a
   * part cancelled before its upload started never gives its buffer to {@link #free}.
   */
  private final List<ByteBuffer> owned = new ArrayList<>();

  /** Buffers of this upload whose part has been sent (or failed), ready for the next part. */
  private final BlockingQueue<ByteBuffer> free;

  private final ArrayDeque<Future<CompletedPart>> pending = new ArrayDeque<>();
  private final List<CompletedPart> parts = new ArrayList<>();
  private final AtomicReference<Throwable> partFailure = new AtomicReference<>();
  private final Object progressLock = new Object();
  private long uploaded;
  private int buffersTaken;
  private ByteBuffer filling;
  private int partsSent;
  private long total;
  private boolean finished;

  MultipartUploadStream(
      MultipartTarget target,
      PartBuffers pool,
      long expectedBytes,
      int maxInFlight,
      LongConsumer progress) {
    this.target = target;
    this.pool = pool;
    this.partBytes = partBytesFor(expectedBytes);
    this.expectedBytes = expectedBytes;
    this.maxInFlight = maxInFlight;
    this.progress = progress;
    this.free = new ArrayBlockingQueue<>(maxInFlight + 1);
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    // Threads start with the first parts, so a one-part object uses one.
    this.uploader =
        Executors.newFixedThreadPool(
            maxInFlight,
            r -> {
              Thread t = new Thread(r, "backup-upload-" + UPLOADER_THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the multipart upload.
   *
   * @param expectedBytes the size the object will roughly have (0 when unknown): sets the part size
   *     so it fits in S3's part count
   * @param pool where the part buffers come from and go back to
   * @param progress told the number of bytes uploaded after every part, never decreasing
   */
  public static MultipartUploadStream open(
      S3Client s3,
      ObjectLocation location,
      long expectedBytes,
      PartBuffers pool,
      LongConsumer progress) {
    return new MultipartUploadStream(
        MultipartTarget.start(s3, location), pool, expectedBytes, PARTS_IN_FLIGHT, progress);
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
  public void write(byte[] b, int off, int len) throws IOException {
    checkOpen();
    while (len > 0) {
      if (filling == null) {
        filling = nextBuffer();
      } else if (!filling.hasRemaining()) {
        // Only a buffer sized for a small object can fill before a whole part: move to a full one,
        // as every part but the last must have the full size.
        ByteBuffer full = own(pool.take(partBytes));
        full.put(filling.flip());
        ByteBuffer small = filling;
        owned.removeIf(taken -> taken == small);
        pool.giveBack(small);
        filling = full;
      }
      int n = Math.min(len, Math.min(filling.remaining(), partBytes - filling.position()));
      sha256.update(b, off, n);
      filling.put(b, off, n);
      total += n;
      off += n;
      len -= n;
      if (filling.position() == partBytes) {
        sendFilledPart();
      }
    }
  }

  /**
   * A buffer for the next part: one of this upload's that is free again, a new one from the pool
   * while fewer than {@code maxInFlight + 1} are taken, else the first one an upload gives back.
   */
  private ByteBuffer nextBuffer() throws IOException {
    throwIfAPartFailed();
    ByteBuffer buffer = free.poll();
    if (buffer != null) {
      return buffer.clear();
    }
    if (buffersTaken <= maxInFlight) {
      buffersTaken++;
      // Sized by the whole object, not by what is left: the tail of a large object takes a
      // standard buffer, which the pool keeps, rather than a small one it would drop.
      return own(pool.take((int) Math.min(partBytes, Math.max(expectedBytes, MIN_BUFFER_BYTES))));
    }
    try {
      buffer = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a part upload", e);
    }
    if (partFailure.get() != null) {
      // The failing upload gave this buffer back: keep it with the others, so the abort that
      // follows returns it to the pool.
      free.offer(buffer);
      throwIfAPartFailed();
    }
    return buffer.clear();
  }

  private ByteBuffer own(ByteBuffer buffer) {
    owned.add(buffer);
    return buffer;
  }

  /** Hands the filled buffer to an uploader thread. */
  private void sendFilledPart() throws IOException {
    throwIfAPartFailed();
    ByteBuffer buffer = filling;
    ByteBuffer body = buffer.duplicate().flip().asReadOnlyBuffer();
    int length = body.remaining();
    int partNumber = ++partsSent;
    pending.add(
        uploader.submit(
            () -> {
              try {
                String etag = target.uploadPart(partNumber, body);
                synchronized (progressLock) {
                  uploaded += length;
                  progress.accept(uploaded);
                }
                return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
              } catch (RuntimeException | Error e) {
                partFailure.compareAndSet(null, e);
                throw e;
              } finally {
                free.offer(buffer);
              }
            }));
    filling = null;
    collectFinishedParts();
  }

  /** Moves the uploads that ended, in part order, from pending to parts. */
  private void collectFinishedParts() throws IOException {
    while (!pending.isEmpty() && pending.peekFirst().isDone()) {
      parts.add(result(pending.pollFirst()));
    }
  }

  private void throwIfAPartFailed() throws IOException {
    Throwable failure = partFailure.get();
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure != null) {
      throw new IOException("a part upload failed", failure);
    }
  }

  private static CompletedPart result(Future<CompletedPart> upload) throws IOException {
    try {
      return upload.get();
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
  @Override
  public Result complete() throws IOException {
    checkOpen();
    if (filling != null && filling.position() > 0 || partsSent == 0) {
      if (filling == null) {
        filling = nextBuffer();
      }
      sendFilledPart();
    }
    while (!pending.isEmpty()) {
      parts.add(result(pending.pollFirst()));
    }
    target.complete(parts);
    finished = true;
    uploader.shutdown();
    releaseBuffers();
    return new Result(total, HexFormat.of().formatHex(sha256.digest()));
  }

  /**
   * Discards the upload: waits for the part uploads still running (a part that lands after the
   * abort would be kept by some stores), then deletes the parts sent so far, so no object appears.
   * Never throws.
   */
  @Override
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    pending.forEach(f -> f.cancel(true));
    uploader.shutdownNow();
    boolean stopped = false;
    try {
      stopped = uploader.awaitTermination(ABORT_WAIT_SECONDS, TimeUnit.SECONDS);
      if (!stopped) {
        log.warn("part uploads of {} still running while aborting it", target.uri());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopped) {
      releaseBuffers(); // else an upload may still read one: leave them to the collector
    }
    try {
      target.abort();
    } catch (RuntimeException e) {
      log.warn("could not abort the multipart upload of {}: {}", target.uri(), e.toString());
    }
  }

  /** Gives the buffers back to the pool once no upload reads them. */
  private void releaseBuffers() {
    owned.forEach(pool::giveBack);
    owned.clear();
    free.clear();
    filling = null;
  }

  private void checkOpen() throws IOException {
    if (finished) {
      throw new IOException("the upload of " + target.uri() + " is already finished");
    }
  }
}
