package io.redisoperator.agent.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The concurrent part pipeline against an in-memory target: order, checksum, the bound on parts in
 * flight and on memory, and the abort when a part fails.
 */
class MultipartUploadStreamTest {
  private static final int PART = MultipartUploadStream.MIN_PART_BYTES;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void partsFinishingOutOfOrderAreCompletedInOrderWithTheChecksumOfTheStream() throws Exception {
    byte[] data = random(3 * PART + PART / 2);
    CountDownLatch secondDone = new CountDownLatch(1);
    FakeTarget target =
        new FakeTarget(
            part -> {
              if (part == 1) {
                // The first part ends only after the second: completion order is not upload order.
                await(secondDone);
              }
            });
    target.afterUpload =
        part -> {
          if (part == 2) {
            secondDone.countDown();
          }
        };
    List<Long> progress = new ArrayList<>();
    MultipartUploadStream upload =
        new MultipartUploadStream(target, new PartBuffers(PART, 3), data.length, 2, progress::add);
    writeInChunks(upload, data, 100_000);
    MultipartUploadStream.Result result = upload.complete();

    assertEquals(List.of(1, 2, 3, 4), target.completedPartNumbers());
    assertArrayEquals(data, target.object());
    assertEquals(data.length, result.sizeBytes());
    assertEquals(sha256(data), result.sha256());
    assertEquals(2, target.finishOrder.get(0), "part 2 really finished first");
    for (int i = 1; i < progress.size(); i++) {
      assertTrue(progress.get(i) > progress.get(i - 1), "progress never goes back: " + progress);
    }
    assertEquals((long) data.length, progress.get(progress.size() - 1));
    assertFalse(target.aborted.get());
  }

  @Test
  void atMostTheBoundRunsAndTheWriterWaitsForAFreeBuffer() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    FakeTarget target = new FakeTarget(part -> await(gate));
    int inFlight = 2;
    MultipartUploadStream upload =
        new MultipartUploadStream(target, new PartBuffers(PART, 3), 10L * PART, inFlight, n -> {});
    AtomicLong accepted = new AtomicLong();
    byte[] chunk = new byte[1024 * 1024];
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 10 * PART / chunk.length; i++) {
                  upload.write(chunk, 0, chunk.length);
                  accepted.addAndGet(chunk.length);
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    writer.start();
    // Uploads held: two run, one more part waits filled, and the writer blocks on a fourth buffer.
    Awaitility.await()
        .atMost(WAIT)
        .until(() -> target.running.get() == inFlight && writer.getState() == Thread.State.WAITING);
    assertTrue(
        accepted.get() < (inFlight + 2L) * PART,
        "the writer went on with every buffer in use: " + accepted.get());
    gate.countDown();
    writer.join(WAIT.toMillis());
    assertFalse(writer.isAlive());
    upload.complete();
    assertEquals(inFlight, target.maxRunning.get());
    assertEquals(10, target.completedPartNumbers().size());
  }

  @Test
  void aFailingPartFailsTheWriterAndTheUploadIsAbortedOnceNoPartRuns() {
    FakeTarget target =
        new FakeTarget(
            part -> {
              if (part == 2) {
                throw new IllegalStateException("store said no to part 2");
              }
            });
    byte[] data = random(6 * PART);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> {
              try (MultipartUploadStream upload =
                  new MultipartUploadStream(
                      target, new PartBuffers(PART, 3), data.length, 2, n -> {})) {
                writeInChunks(upload, data, 256 * 1024);
                upload.complete();
              }
            });
    assertEquals("store said no to part 2", e.getMessage());
    assertTrue(target.aborted.get());
    assertEquals(0, target.runningAtAbort.get(), "no part was still uploading at the abort");
    assertNull(target.completed, "never completed");
  }

  @Test
  void theTailOfALargeObjectTakesABufferThePoolKeeps() throws Exception {
    PartBuffers pool = new PartBuffers(PART, 3);
    byte[] data = random(PART + 5);
    CountDownLatch firstPartHeld = new CountDownLatch(1);
    FakeTarget target =
        new FakeTarget(
            part -> {
              if (part == 1) {
                await(firstPartHeld);
              }
            });
    MultipartUploadStream stream = new MultipartUploadStream(target, pool, data.length, 2, n -> {});
    // The first part is still uploading when the last five bytes need a buffer of their own.
    stream.write(data, 0, data.length);
    firstPartHeld.countDown();
    stream.complete();
    assertArrayEquals(data, target.object());
    assertEquals(2, pool.allocatedCount());
    assertEquals(2, pool.keptCount(), "both buffers are of the standard size, so both are kept");
  }

  @Test
  void buffersAreGivenBackAndTheNextUploadAllocatesNone() throws Exception {
    PartBuffers pool = new PartBuffers(PART, 3);
    byte[] data = random(4 * PART + 5);
    for (int upload = 0; upload < 3; upload++) {
      FakeTarget target = new FakeTarget(part -> {});
      MultipartUploadStream stream =
          new MultipartUploadStream(target, pool, data.length, 2, n -> {});
      writeInChunks(stream, data, 1024 * 1024);
      stream.complete();
      assertArrayEquals(data, target.object());
      assertTrue(pool.allocatedCount() <= 3, "never more than three: " + pool.allocatedCount());
      assertEquals(pool.allocatedCount(), pool.keptCount(), "every buffer given back");
    }
    FakeTarget failing =
        new FakeTarget(
            part -> {
              throw new IllegalStateException("refused");
            });
    assertThrows(
        IllegalStateException.class,
        () -> {
          try (MultipartUploadStream stream =
              new MultipartUploadStream(failing, pool, data.length, 2, n -> {})) {
            writeInChunks(stream, data, 1024 * 1024);
            stream.complete();
          }
        });
    assertEquals(
        pool.allocatedCount(), pool.keptCount(), "an aborted upload gives its buffers back too");
    assertTrue(pool.allocatedCount() <= 3);
  }

  @Test
  void aBufferTheWriterWaitedForIsKeptWhenTheUploadThatFreedItFailed() throws Exception {
    PartBuffers pool = new PartBuffers(PART, 3);
    byte[] data = random(4 * PART);
    CountDownLatch fail = new CountDownLatch(1);
    FakeTarget failing =
        new FakeTarget(
            part -> {
              await(fail);
              throw new IllegalStateException("refused");
            });
    MultipartUploadStream stream =
        new MultipartUploadStream(failing, pool, data.length, 2, n -> {});
    Thread writer =
        new Thread(
            () -> {
              try {
                stream.write(data, 0, data.length);
              } catch (IOException | RuntimeException expected) {
                // the failed part fails the write that waited for its buffer
              }
            });
    writer.start();
    // Two parts upload, the third waits for an uploader with its buffer, the writer for a fourth.
    Awaitility.await("the writer waiting for a buffer")
        .atMost(WAIT)
        .until(() -> failing.running.get() == 2 && writer.getState() == Thread.State.WAITING);
    fail.countDown();
    writer.join(WAIT.toMillis());
    assertFalse(writer.isAlive());
    stream.abort();
    assertEquals(3, pool.allocatedCount());
    assertEquals(3, pool.keptCount(), "every buffer back in the pool, the one the writer took too");
  }

  @Test
  void aPartAbortedBeforeItsUploadStartedGivesItsBufferBack() throws Exception {
    PartBuffers pool = new PartBuffers(PART, 3);
    byte[] data = random(3 * PART);
    CountDownLatch never = new CountDownLatch(1);
    FakeTarget stuck = new FakeTarget(part -> await(never));
    MultipartUploadStream stream = new MultipartUploadStream(stuck, pool, data.length, 2, n -> {});
    // Parts 1 and 2 hold both uploaders; part 3 waits in the queue with the third buffer.
    stream.write(data, 0, data.length);
    Awaitility.await("both uploaders busy").atMost(WAIT).until(() -> stuck.running.get() == 2);
    stream.abort();
    assertEquals(3, pool.allocatedCount());
    assertEquals(3, pool.keptCount(), "the queued part's buffer is back too");
  }

  @Test
  void anEmptyObjectIsOneEmptyPart() throws Exception {
    FakeTarget target = new FakeTarget(part -> {});
    MultipartUploadStream.Result result =
        new MultipartUploadStream(target, new PartBuffers(PART, 3), 0, 2, n -> {}).complete();
    assertEquals(List.of(1), target.completedPartNumbers());
    assertEquals(0, result.sizeBytes());
    assertEquals(sha256(new byte[0]), result.sha256());
  }

  @Test
  void anObjectLargerThanEstimatedStillHasFullSizedPartsButTheLast() throws Exception {
    byte[] data = random(2 * PART + 10);
    FakeTarget target = new FakeTarget(part -> {});
    MultipartUploadStream upload =
        new MultipartUploadStream(target, new PartBuffers(PART, 3), 1000, 2, n -> {});
    writeInChunks(upload, data, 4096);
    MultipartUploadStream.Result result = upload.complete();
    assertEquals(List.of(PART, PART, 10), target.partLengths());
    assertArrayEquals(data, target.object());
    assertEquals(sha256(data), result.sha256());
  }

  private static void writeInChunks(MultipartUploadStream upload, byte[] data, int chunk)
      throws IOException {
    for (int off = 0; off < data.length; off += chunk) {
      upload.write(data, off, Math.min(chunk, data.length - off));
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

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Keeps a copy of each part; {@code duringUpload} runs inside each upload (may block or throw).
   */
  private static final class FakeTarget implements MultipartTarget {
    private final IntConsumer duringUpload;
    volatile IntConsumer afterUpload = part -> {};
    final Map<Integer, byte[]> parts = new ConcurrentHashMap<>();
    final List<Integer> finishOrder = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final AtomicInteger runningAtAbort = new AtomicInteger(-1);
    final AtomicBoolean aborted = new AtomicBoolean();
    volatile List<CompletedPart> completed;

    FakeTarget(IntConsumer duringUpload) {
      this.duringUpload = duringUpload;
    }

    @Override
    public String uploadPart(int partNumber, java.nio.ByteBuffer body) {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        byte[] copy = new byte[body.remaining()];
        body.get(copy);
        duringUpload.accept(partNumber);
        parts.put(partNumber, copy);
        finishOrder.add(partNumber);
        afterUpload.accept(partNumber);
        return "etag-" + partNumber;
      } finally {
        running.decrementAndGet();
      }
    }

    @Override
    public void complete(List<CompletedPart> parts) {
      completed = List.copyOf(parts);
    }

    @Override
    public void abort() {
      runningAtAbort.set(running.get());
      aborted.set(true);
    }

    @Override
    public String uri() {
      return "s3://fake/object";
    }

    List<Integer> completedPartNumbers() {
      return completed.stream().map(CompletedPart::partNumber).toList();
    }

    List<Integer> partLengths() {
      return completedPartNumbers().stream().map(n -> parts.get(n).length).toList();
    }

    byte[] object() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (CompletedPart p : completed) {
        assertEquals("etag-" + p.partNumber(), p.eTag());
        out.writeBytes(parts.get(p.partNumber()));
      }
      return out.toByteArray();
    }
  }
}
