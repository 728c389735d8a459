package io.redisoperator.protocol.agent;

/**
 * Whether a replica's link to its primary is fresh: it heard from its primary within {@link
 * #FRESH_SECONDS} (Redis' {@code master_last_io_seconds_ago}, in whole seconds, so up to 2 s of
 * silence reads as fresh). A fresh link proves the primary alive and streaming; the controller
 * holds a failover back while one vouches for a silent primary ({@code PrimaryHealthAssessor}).
 * Part of the status version ({@link StatusVersions}, protocol version 6), so a held status request
 * is answered the moment the link turns stale.
 */
public final class ReplicationLink {
  /**
   * A primary streams to its replicas every 100 ms (its agent's heartbeat) and pings them every
   * second ({@code repl-ping-replica-period 1}).
   */
  public static final long FRESH_SECONDS = 1;

  private ReplicationLink() {}

  /**
   * @param masterLastIoSecondsAgo {@link InstanceStatus#masterLastIoSecondsAgo()} (null or -1:
   *     unknown, never fresh)
   */
  public static boolean fresh(Long masterLastIoSecondsAgo) {
    return masterLastIoSecondsAgo != null
        && masterLastIoSecondsAgo >= 0
        && masterLastIoSecondsAgo <= FRESH_SECONDS;
  }
}
