package io.redisoperator.sandbox.process;

/** The POSIX signals the sandbox sends, by their {@code kill -s} names. */
public enum Signal {
  TERM,
  KILL,
  /** Pauses a process (it cannot catch it): a frozen process, as after a long GC or a VM pause. */
  STOP,
  /** Resumes a process paused with {@link #STOP}. */
  CONT
}
