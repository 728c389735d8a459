package io.redisoperator.agent.backup;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A backup object being written to the store: the snapshot is written into it, {@link #complete()}
 * makes the object visible, and anything else (an error, {@link #close()} without completing)
 * leaves no object behind.
 */
public abstract class UploadStream extends OutputStream {
  /** The object as stored. */
  public record Result(long sizeBytes, String sha256) {}

  /** Sends what is left and makes the object visible; returns its size and SHA-256. */
  public abstract Result complete() throws IOException;

  /** Discards the upload so no object appears. Never throws. */
  public abstract void abort();

  /** Closing without {@link #complete()} aborts: an unfinished object never becomes visible. */
  @Override
  public void close() {
    abort();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }
}
