package io.redisoperator.agent.backup;

import io.redisoperator.protocol.agent.ObjectLocation;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Streams an object of a length known in advance into ONE {@code PutObject}, with bounded memory:
 * the writer hashes and fills {@link #CHUNKS} small buffers while the HTTP client sends the ones
 * already filled. A store completes such an object as it arrives, where a multipart upload costs
 * the store a completion step (some stores copy every part into the object there).
 *
 * <p>The object never appears unless the writer completed with exactly the declared length: the
 * body's last byte is held back until {@link #complete()} has checked it, and an abort or a failed
 * write ends the body early, which the store discards. The body is read once, so the SDK does not
 * retry the request: a failed PUT fails the backup with the request's own error.
 */
final class SinglePutStream extends UploadStream {
  private static final Logger log = LoggerFactory.getLogger(SinglePutStream.class);

  /** S3's limit for one PUT; larger objects need a multipart upload. */
  static final long MAX_BYTES = 5L * 1024 * 1024 * 1024;

  static final int CHUNK_BYTES = 1024 * 1024;

  /** Buffers of one upload: enough to keep the sender busy while the writer hashes the next. */
  static final int CHUNKS = 4;

  /** How long {@link #abort()} waits for the request to end. */
  private static final long ABORT_WAIT_SECONDS = 30;

  private static final AtomicInteger SENDER_THREADS = new AtomicInteger();

  /** Sends the body with the declared length, returning once the store has stored it. */
  @FunctionalInterface
  interface Sender {
    void send(InputStream body, long length);
  }

  /** A filled buffer, or the end of the body (with the writer's verdict). */
  private record Chunk(byte[] bytes, int length, boolean end, boolean ok) {
    static final Chunk END_OK = new Chunk(null, 0, true, true);
    static final Chunk FAILED = new Chunk(null, 0, true, false);
  }

  private final long length;
  private final LongConsumer progress;
  private final MessageDigest sha256;
  private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
  private final AtomicBoolean bodyTaken = new AtomicBoolean();
  private final ExecutorService sender;
  private final Future<?> request;
  private int buffersAllocated;
  private byte[] current;
  private int currentLength;
  private long written;
  private boolean finished;

  SinglePutStream(Sender target, long length, LongConsumer progress) {
    if (length <= 0 || length > MAX_BYTES) {
      // An empty body could be sent before the writer completed: the multipart path takes it.
      throw new IllegalArgumentException("one PUT carries 1 to " + MAX_BYTES + " bytes: " + length);
    }
    this.length = length;
    this.progress = progress;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "backup-put-" + SENDER_THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.request = sender.submit(() -> target.send(new Body(), length));
  }

  /**
   * A PUT of {@code length} bytes to {@code location} with the agent's client, never retried by the
   * SDK (the body cannot be read twice): the failure reported is the request's own.
   */
  static SinglePutStream open(
      S3Client s3, ObjectLocation location, long length, LongConsumer progress) {
    return new SinglePutStream(
        (body, bytes) ->
            s3.putObject(
                r ->
                    r.bucket(location.bucket())
                        .key(location.key())
                        .contentLength(bytes)
                        .contentType("application/octet-stream")
                        .overrideConfiguration(
                            o ->
                                o.addPlugin(
                                    client ->
                                        client.overrideConfiguration(
                                            c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())))),
                RequestBody.fromContentProvider(
                    () -> {
                      if (!((Body) body).claim()) {
                        throw new IllegalStateException(
                            "a streamed PUT cannot be resent: its body is read once");
                      }
                      return body;
                    },
                    bytes,
                    "application/octet-stream")),
        length,
        progress);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    checkOpen();
    if (written + len > length) {
      throw new IOException(
          "the snapshot is longer than the " + length + " bytes it announced: not uploaded");
    }
    sha256.update(b, off, len);
    written += len;
    while (len > 0) {
      if (current == null) {
        current = nextBuffer();
        currentLength = 0;
      }
      int n = Math.min(len, current.length - currentLength);
      System.arraycopy(b, off, current, currentLength, n);
      currentLength += n;
      off += n;
      len -= n;
      if (currentLength == current.length) {
        hand(new Chunk(current, currentLength, false, false));
        current = null;
      }
    }
  }

  @Override
  public Result complete() throws IOException {
    checkOpen();
    if (written != length) {
      abort();
      throw new IOException(
          "the snapshot ended after "
              + written
              + " of the "
              + length
              + " bytes it announced: not uploaded");
    }
    if (current != null && currentLength > 0) {
      hand(new Chunk(current, currentLength, false, false));
      current = null;
    }
    hand(Chunk.END_OK);
    try {
      request.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
      throw new IOException("interrupted while the store received the object", e);
    } catch (ExecutionException e) {
      abort();
      throw failure(e.getCause());
    }
    finished = true;
    sender.shutdown();
    return new Result(length, HexFormat.of().formatHex(sha256.digest()));
  }

  /**
   * Ends the body early (the store discards a PUT whose body is shorter than its length) and waits
   * for the request to end.
   */
  @Override
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    filled.clear();
    filled.offer(Chunk.FAILED);
    sender.shutdown(); // not interrupted: the body ends short, which closes the connection
    try {
      if (!sender.awaitTermination(ABORT_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("the PUT of {} bytes still runs while aborting it", length);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private byte[] nextBuffer() throws IOException {
    byte[] buffer = free.poll();
    if (buffer != null) {
      return buffer;
    }
    if (buffersAllocated < CHUNKS) {
      buffersAllocated++;
      return new byte[(int) Math.min(CHUNK_BYTES, length)];
    }
    while (true) {
      throwIfRequestEnded();
      try {
        buffer = free.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the store received the object", e);
      }
      if (buffer != null) {
        return buffer;
      }
    }
  }

  /** Queues a chunk for the sender, failing instead of waiting forever if the request ended. */
  private void hand(Chunk chunk) throws IOException {
    while (true) {
      throwIfRequestEnded();
      try {
        if (filled.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the store received the object", e);
      }
    }
  }

  /** The request can only end early (the last byte waits for the writer): that is a failure. */
  private void throwIfRequestEnded() throws IOException {
    if (!request.isDone()) {
      return;
    }
    try {
      request.get();
      throw new IOException("the store ended the PUT before the object was complete");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the store received the object", e);
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
  }

  /** A runtime failure of the request is rethrown as it is (StoreErrors describes it). */
  private static IOException failure(Throwable cause) {
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    return cause instanceof IOException io ? io : new IOException(cause);
  }

  private void checkOpen() throws IOException {
    if (finished) {
      throw new IOException("the upload is already finished");
    }
  }

  /**
   * The request body, read by the HTTP client on the sender thread: the queued chunks in order, the
   * one that completes the body only once the writer has completed. An aborted body simply ends
   * short of its declared length, which the SDK refuses ("fewer bytes than the specified
   * content-length"), and {@link DisconnectOnFailureHttpClient} then closes the connection, so the
   * store sees the body cut and discards it.
   */
  private final class Body extends InputStream {
    private Chunk chunk;
    private int position;
    private long delivered;
    private boolean cut;

    /** The first caller gets the body; a second one (a retry) cannot. */
    boolean claim() {
      return bodyTaken.compareAndSet(false, true);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (cut || delivered == length) {
        return -1;
      }
      if (chunk == null || position == chunk.length()) {
        if (chunk != null) {
          free.offer(chunk.bytes());
          progress.accept(delivered);
        }
        chunk = take();
        position = 0;
        // The chunk that completes the body goes out only once the writer completed.
        if (chunk.end() || delivered + chunk.length() == length && !take().ok()) {
          cut = true;
          return -1;
        }
      }
      int n = Math.min(len, chunk.length() - position);
      System.arraycopy(chunk.bytes(), position, b, off, n);
      position += n;
      delivered += n;
      return n;
    }

    /** The next chunk or end; an interrupted wait is an abort. */
    private Chunk take() {
      try {
        return filled.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Chunk.FAILED;
      }
    }
  }
}
