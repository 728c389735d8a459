package io.redisoperator.protocol.agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The status version an agent reports with every {@code /v1/status} answer ({@link
 * AgentApi#STATUS_VERSION_HEADER}): it changes exactly when something the controller acts on
 * changes (role, Redis up or dead, fence, whom a replica follows, its link and whether the link is
 * fresh ({@link ReplicationLink}, from protocol version 6), the replication id, connected replicas,
 * restarts, applied config, secrets and ACL users, backup state), never for the steady growth of
 * offsets or uptime. A long-poll with {@code since} equal to the current version is held until it
 * changes. Versions carry the agent's start time, so a restarted agent never repeats a version the
 * controller saw from its predecessor. Thread-safe.
 */
public final class StatusVersions {
  private final String incarnation;
  private Object material;
  private long counter;

  /**
   * @param startedAtMillis when this agent started (any value unique per incarnation)
   */
  public StatusVersions(long startedAtMillis) {
    this.incarnation = Long.toString(startedAtMillis, 36);
  }

  /**
   * The version of {@code status}: the current one, or the next when what matters changed since the
   * last call.
   */
  public synchronized String observe(InstanceStatus status) {
    Object now = materialOf(status);
    if (!now.equals(material)) {
      material = now;
      counter++;
    }
    return incarnation + "." + counter;
  }

  /**
   * Whether {@code candidate} is a later version of the same agent incarnation than {@code than}:
   * the status it came with was read after the one {@code than} came with. False when either is
   * null, not of this form, or of another incarnation.
   */
  public static boolean isNewer(String candidate, String than) {
    if (candidate == null || than == null) {
      return false;
    }
    int c = candidate.lastIndexOf('.');
    int t = than.lastIndexOf('.');
    if (c <= 0 || c != t || !candidate.regionMatches(0, than, 0, c)) {
      return false;
    }
    try {
      return Long.parseLong(candidate.substring(c + 1)) > Long.parseLong(than.substring(t + 1));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The parts of a status whose change the controller must see at once. */
  static Object materialOf(InstanceStatus s) {
    List<Object> replicas =
        s.connectedReplicas() == null
            ? List.of()
            : s.connectedReplicas().stream()
                .map(r -> (Object) (r.ip() + ":" + r.port() + "/" + r.state()))
                .sorted((a, b) -> a.toString().compareTo(b.toString()))
                .toList();
    BackupProgress b = s.backup();
    return List.of(
        String.valueOf(s.role()),
        s.redisUp(),
        Objects.toString(s.masterReplId()),
        Objects.toString(s.masterHost()),
        Objects.toString(s.masterPort()),
        Objects.toString(s.masterLinkUp()),
        // A replica that stops hearing its primary stops vouching for it: the controller acts on
        // that (a partition's failover waits for it), while the seconds themselves only count up.
        ReplicationLink.fresh(s.masterLastIoSecondsAgo()),
        replicas,
        s.fenced(),
        s.selfFenced(),
        s.restartCount(),
        Objects.toString(s.configHash()),
        s.secretVersions() == null ? Map.of() : s.secretVersions(),
        Objects.toString(s.redisProcessRunning()),
        b == null
            ? ""
            : b.backupId() + "/" + b.state() + "/" + b.finishedAtMillis() + "/" + b.error(),
        Objects.toString(s.acl()));
  }
}
