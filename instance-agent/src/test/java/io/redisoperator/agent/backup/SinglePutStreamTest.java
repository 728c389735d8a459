package io.redisoperator.agent.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The single PUT's body against an in-memory receiver: the stream in order with its checksum, the
 * last byte held back until the writer completed with the announced length, and every way the
 * writer or the receiver fails ending the body early instead of completing it.
 */
class SinglePutStreamTest {
  private static final int CHUNK = SinglePutStream.CHUNK_BYTES;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theBodyIsTheStreamWithTheDeclaredLengthAndItsChecksum() throws Exception {
    byte[] data = random(5 * CHUNK + 12_345); // more chunks than buffers: they are reused
    Receiver receiver = new Receiver();
    SinglePutStream put = new SinglePutStream(receiver, data.length, n -> {});
    writeInPieces(put, data, 100_000);
    UploadStream.Result result = put.complete();
    assertArrayEquals(data, receiver.body.get().toByteArray());
    assertEquals(data.length, receiver.declared.get());
    assertEquals(data.length, result.sizeBytes());
    assertEquals(sha256(data), result.sha256());
  }

  @Test
  void theLastByteWaitsUntilTheWriterCompleted() throws Exception {
    byte[] data = random(2 * CHUNK);
    Receiver receiver = new Receiver();
    SinglePutStream put = new SinglePutStream(receiver, data.length, n -> {});
    put.write(data, 0, data.length); // the writer has written everything, not completed yet
    Awaitility.await().atMost(WAIT).until(() -> receiver.read.get() >= CHUNK);
    assertFalse(receiver.done.isDone(), "the body did not end before complete()");
    assertTrue(receiver.read.get() < data.length, "the chunk completing the body is held back");
    put.complete();
    assertTrue(receiver.done.isDone());
    assertArrayEquals(data, receiver.body.get().toByteArray());
  }

  @Test
  void aWriterLongerThanAnnouncedFailsAndTheBodyNeverCompletes() throws Exception {
    byte[] data = random(CHUNK);
    Receiver receiver = new Receiver();
    SinglePutStream put = new SinglePutStream(receiver, data.length, n -> {});
    put.write(data, 0, data.length);
    assertThrows(IOException.class, () -> put.write(new byte[] {1}, 0, 1));
    put.close();
    assertInstanceOf(IOException.class, receiver.failure());
  }

  @Test
  void aWriterShorterThanAnnouncedFailsAndTheBodyNeverCompletes() throws Exception {
    byte[] data = random(CHUNK + 10);
    Receiver receiver = new Receiver();
    SinglePutStream put = new SinglePutStream(receiver, data.length + 1, n -> {});
    put.write(data, 0, data.length);
    IOException e = assertThrows(IOException.class, put::complete);
    assertTrue(e.getMessage().contains("announced"), e.getMessage());
    assertInstanceOf(IOException.class, receiver.failure());
  }

  @Test
  void anAbortMidStreamEndsTheBodyEarly() throws Exception {
    byte[] data = random(3 * CHUNK);
    Receiver receiver = new Receiver();
    SinglePutStream put = new SinglePutStream(receiver, data.length, n -> {});
    put.write(data, 0, 2 * CHUNK);
    Awaitility.await().atMost(WAIT).until(() -> receiver.read.get() >= CHUNK);
    put.close();
    assertInstanceOf(IOException.class, receiver.failure());
    assertThrows(IOException.class, () -> put.write(data, 0, 1));
  }

  @Test
  void aReceiverThatFailsMidStreamFailsTheWriterInsteadOfBlockingIt() {
    byte[] data = random(20 * CHUNK);
    AtomicLong progress = new AtomicLong();
    SinglePutStream put =
        new SinglePutStream(
            (body, length) -> {
              try {
                body.readNBytes(2 * CHUNK);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException("connection reset by the store");
            },
            data.length,
            progress::set);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> {
              try (put) {
                writeInPieces(put, data, CHUNK);
                put.complete();
              }
            });
    assertEquals("connection reset by the store", e.getMessage());
    assertTrue(progress.get() >= CHUNK && progress.get() < data.length, "progress " + progress);
  }

  private static void writeInPieces(SinglePutStream put, byte[] data, int piece)
      throws IOException {
    for (int off = 0; off < data.length; off += piece) {
      put.write(data, off, Math.min(piece, data.length - off));
    }
  }

  /**
   * Reads the body as an HTTP client with a fixed length would, in small reads, on the stream's
   * sender thread: a body ending short of its length fails the request.
   */
  private static final class Receiver implements SinglePutStream.Sender {
    final AtomicLong declared = new AtomicLong(-1);
    final AtomicLong read = new AtomicLong();
    final AtomicReference<ByteArrayOutputStream> body = new AtomicReference<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void send(InputStream in, long length) {
      declared.set(length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          read.addAndGet(n);
        }
        if (read.get() != length) {
          // What HttpURLConnection's fixed-length mode does with a short body.
          throw new IOException("insufficient data written");
        }
        body.set(out);
        done.complete(null);
      } catch (IOException | RuntimeException e) {
        done.completeExceptionally(e);
        throw new IllegalStateException(e);
      }
    }

    /** The failure that ended the body (waits for it). */
    Throwable failure() {
      Awaitility.await().atMost(WAIT).until(done::isDone);
      assertTrue(done.isCompletedExceptionally(), "the body ended early, not completed");
      return done.handle((v, e) -> e).join();
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
