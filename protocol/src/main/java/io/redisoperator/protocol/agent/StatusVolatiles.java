package io.redisoperator.protocol.agent;

/**
 * The fields of a status that move without changing its version ({@link StatusVersions}): what an
 * unchanged ({@code 304}) status answer carries in {@link AgentApi#STATUS_VOLATILES_HEADER}, so the
 * controller's copy stays as fresh as a full answer would make it (a replica's offset for the
 * failover's candidate choice and lag, and whether it still hears its primary, for the health
 * assessment). The offsets of a primary's connected replicas are not carried: the controller reads
 * each replica's own.
 *
 * @param replicationOffset null when Redis did not say
 * @param masterLastIoSecondsAgo null when Redis did not say
 */
public record StatusVolatiles(
    Long replicationOffset, Long masterLastIoSecondsAgo, long agentUptimeSeconds) {

  private static final String OFFSET = "replicationOffset";
  private static final String LAST_IO = "masterLastIoSecondsAgo";
  private static final String UPTIME = "agentUptimeSeconds";

  public static StatusVolatiles of(InstanceStatus status) {
    return new StatusVolatiles(
        status.replicationOffset(), status.masterLastIoSecondsAgo(), status.agentUptimeSeconds());
  }

  /** {@code name=value} pairs separated by {@code ;}, an unknown value left out. */
  public String header() {
    StringBuilder out = new StringBuilder(64);
    if (replicationOffset != null) {
      out.append(OFFSET).append('=').append(replicationOffset).append(';');
    }
    if (masterLastIoSecondsAgo != null) {
      out.append(LAST_IO).append('=').append(masterLastIoSecondsAgo).append(';');
    }
    return out.append(UPTIME).append('=').append(agentUptimeSeconds).toString();
  }

  /**
   * The fields {@link #header()} wrote; names this version does not know are skipped (a later agent
   * may add some).
   *
   * @throws IllegalArgumentException when the value is malformed
   */
  public static StatusVolatiles parse(String header) {
    if (header == null) {
      throw new IllegalArgumentException("no " + AgentApi.STATUS_VOLATILES_HEADER + " header");
    }
    Long offset = null;
    Long lastIo = null;
    long uptime = 0;
    for (String pair : header.split(";")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("malformed status volatiles: " + header);
      }
      String name = pair.substring(0, eq).trim();
      long value;
      try {
        value = Long.parseLong(pair.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("malformed status volatiles: " + header, e);
      }
      switch (name) {
        case OFFSET -> offset = value;
        case LAST_IO -> lastIo = value;
        case UPTIME -> uptime = value;
        default -> {
          // A field of a later agent.
        }
      }
    }
    return new StatusVolatiles(offset, lastIo, uptime);
  }

  /** {@code status} with these fields: what a full answer would have said. */
  public InstanceStatus applyTo(InstanceStatus status) {
    return status.toBuilder()
        .replicationOffset(replicationOffset)
        .masterLastIoSecondsAgo(masterLastIoSecondsAgo)
        .agentUptimeSeconds(agentUptimeSeconds)
        .build();
  }
}
