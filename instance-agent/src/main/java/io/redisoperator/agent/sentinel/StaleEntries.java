package io.redisoperator.agent.sentinel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of Sentinel's remembered replicas and sentinels are gone for good. Sentinel never forgets
 * an instance it once saw: a recreated pod (new IP) leaves its old address in {@code SENTINEL
 * REPLICAS} or {@code SENTINEL SENTINELS} forever, and clients that read those lists get dead
 * addresses. An entry is stale only when both hold:
 *
 * <ul>
 *   <li>its address is not the IP of any current pod of the cluster (data or sentinel), as the API
 *       server reports them, so a pod that restarts in place keeps its entry;
 *   <li>Sentinel's link to it is down ({@code disconnected} or {@code s_down} in its flags), so an
 *       instance Sentinel just learned of, before the watch cache shows its pod, is not taken for a
 *       dead one.
 * </ul>
 *
 * The only remedy Sentinel offers is {@code SENTINEL RESET <master>}, which forgets every replica
 * and sentinel and rediscovers the live ones (replicas from the primary's INFO at once, sentinels
 * from their hello messages within about 2 s). It is issued for proven-stale entries only, never
 * because sentinels disagree or a quorum is lost, and at most once per {@link #MIN_RESET_INTERVAL}
 * per sentinel, and only while Sentinel reaches the primary: it rediscovers the others through the
 * primary (its INFO, its hello channel), so a reset while the primary is dead would leave it
 * knowing nobody.
 */
public final class StaleEntries {
  /**
   * The shortest time between two resets by one agent: entries that survive a reset cannot cause a
   * storm.
   */
  public static final Duration MIN_RESET_INTERVAL = Duration.ofSeconds(10);

  /** One remembered replica or sentinel: its address and Sentinel's flags for it. */
  public record Known(String ip, int port, String flags) {
    /** From one map of {@code SENTINEL REPLICAS} or {@code SENTINEL SENTINELS}. */
    public static Known of(Map<String, String> fields) {
      String port = fields.get("port");
      return new Known(
          fields.get("ip"),
          port == null ? 0 : Integer.parseInt(port),
          fields.getOrDefault("flags", ""));
    }

    boolean linkDown() {
      for (String flag : flags.split(",")) {
        if (flag.equals("disconnected") || flag.equals("s_down")) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return ip + ":" + port;
    }
  }

  private StaleEntries() {}

  /**
   * The stale entries among {@code known}. With no pod IPs known (API not read), nothing is stale:
   * the absence of evidence is not evidence.
   */
  public static List<Known> stale(List<Known> known, Set<String> livePodIps) {
    if (livePodIps.isEmpty()) {
      return List.of();
    }
    return known.stream()
        .filter(k -> k.ip() != null && !livePodIps.contains(k.ip()) && k.linkDown())
        .toList();
  }

  /**
   * Whether Sentinel's link to the primary is up ({@code SENTINEL MASTER}: not disconnected, a ping
   * answered lately).
   */
  public static boolean primaryReachable(Map<String, String> master) {
    String flags = master.getOrDefault("flags", "");
    long lastOk = parseLong(master.get("last-ok-ping-reply"));
    return !flags.contains("disconnected")
        && !flags.contains("s_down")
        && lastOk >= 0
        && lastOk <= PRIMARY_PING_MAX_AGE_MILLIS;
  }

  /**
   * Sentinel pings every second; an answer older than this means the primary is not reachable now.
   */
  static final long PRIMARY_PING_MAX_AGE_MILLIS = 3000;

  private static long parseLong(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Whether a reset may be issued now, {@code sinceLastResetMillis} after the previous one
   * (negative: never reset).
   */
  public static boolean mayReset(long sinceLastResetMillis) {
    return sinceLastResetMillis < 0 || sinceLastResetMillis >= MIN_RESET_INTERVAL.toMillis();
  }
}
