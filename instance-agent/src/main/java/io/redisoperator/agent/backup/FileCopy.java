package io.redisoperator.agent.backup;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Copies a byte range of an open file into a stream through one small buffer. */
final class FileCopy {
  static final int BUFFER_BYTES = 256 * 1024;

  private FileCopy() {}

  static void copy(FileChannel file, long from, long length, OutputStream out) throws IOException {
    byte[] buffer = new byte[(int) Math.min(BUFFER_BYTES, Math.max(1, length))];
    ByteBuffer bb = ByteBuffer.wrap(buffer);
    long position = from;
    long end = from + length;
    while (position < end) {
      bb.clear();
      bb.limit((int) Math.min(buffer.length, end - position));
      int n = file.read(bb, position);
      if (n < 0) {
        throw new EOFException("the file ended " + (end - position) + " bytes early");
      }
      out.write(buffer, 0, n);
      position += n;
    }
  }
}
