package io.redisoperator.sandbox.process;

/** The POSIX signals the sandbox sends, by their {@code kill -s} names. */
public enum Signal {
  TERM,
  KILL
}
