package io.redisoperator.agent.backup;

import java.io.IOException;
import java.io.OutputStream;

/** A consistent copy of the dataset, held open (file handles) until it has been written out. */
public interface Snapshot extends AutoCloseable {
  /**
   * The number of bytes {@link #writeTo} will write: exactly when {@link #lengthExact()}, else an
   * estimate for sizing the upload's parts.
   */
  long expectedBytes();

  /** Whether {@link #expectedBytes()} is exact, so the object can go as one PUT of that length. */
  boolean lengthExact();

  /** The object's name suffix in the store: {@code .rdb} or {@code .tar}. */
  String suffix();

  void writeTo(OutputStream out) throws IOException;

  @Override
  void close() throws IOException;
}
