package io.redisoperator.sandbox.kubelet;

import java.util.Arrays;

/** One projected file: bytes and POSIX mode. */
public record FileContent(byte[] bytes, int mode) {
  @Override
  public boolean equals(Object o) {
    return o instanceof FileContent f && mode == f.mode && Arrays.equals(bytes, f.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(bytes) + mode;
  }

  @Override
  public String toString() {
    return "FileContent[" + bytes.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
  }
}
