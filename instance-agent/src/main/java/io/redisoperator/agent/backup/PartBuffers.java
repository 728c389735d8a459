package io.redisoperator.agent.backup;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The multipart upload's part buffers, outside the Java heap and kept from one backup to the next.
 * A heap buffer of 8 MiB would land in the old generation and make the collector grow the heap by
 * about twice its size on every backup; these cost their own size, once.
 */
final class PartBuffers {
  private final int standardBytes;
  private final int kept;
  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  private int allocated;

  /**
   * @param standardBytes the part size of all but huge objects: only buffers of this size are kept
   * @param kept how many buffers to keep between uploads
   */
  PartBuffers(int standardBytes, int kept) {
    this.standardBytes = standardBytes;
    this.kept = kept;
  }

  /** A cleared buffer of at least {@code bytes}: a kept one when it fits, else a new one. */
  synchronized ByteBuffer take(int bytes) {
    if (bytes <= standardBytes && !free.isEmpty()) {
      return free.pop().clear();
    }
    allocated++;
    return ByteBuffer.allocateDirect(bytes);
  }

  /** Returns a buffer no upload uses any more. */
  synchronized void giveBack(ByteBuffer buffer) {
    if (buffer.capacity() == standardBytes && free.size() < kept) {
      free.push(buffer);
    }
  }

  /** Buffers kept now (for tests). */
  synchronized int keptCount() {
    return free.size();
  }

  /** Buffers allocated since the start (for tests). */
  synchronized int allocatedCount() {
    return allocated;
  }
}
