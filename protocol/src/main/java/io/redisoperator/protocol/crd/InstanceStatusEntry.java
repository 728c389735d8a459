package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * What the operator last observed of one data pod; the value of {@code
 * status.instancesStatus[pod]}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceStatusEntry {
  @JsonPropertyDescription("primary, replica or unknown, as the pod's Redis reports it.")
  private InstanceRole role;

  @JsonPropertyDescription("The pod is Ready.")
  private Boolean ready;

  @JsonPropertyDescription("redis-server answered the agent.")
  private Boolean redisUp;

  @JsonPropertyDescription("The pod's IP address.")
  private String podIP;

  @JsonPropertyDescription("Redis master_replid.")
  private String replicationId;

  @JsonPropertyDescription(
      "Redis replication offset (master_repl_offset on a primary, slave_repl_offset on a replica).")
  private Long replicationOffset;

  /** Bytes behind the current primary's offset; 0 for the primary; absent when unknown. */
  @JsonPropertyDescription(
      "Bytes behind the current primary's offset; 0 for the primary; absent when unknown.")
  private Long lagBytes;

  @JsonPropertyDescription("On a replica: the replication link to the primary is up.")
  private Boolean linkUp;

  @JsonPropertyDescription("The instance refuses writes.")
  private Boolean fenced;

  /** RFC 3339 time of the last successful status poll. */
  @JsonPropertyDescription("RFC 3339 time of the last successful status poll.")
  private String lastSeen;

  public InstanceRole getRole() {
    return role;
  }

  public void setRole(InstanceRole role) {
    this.role = role;
  }

  public Boolean getReady() {
    return ready;
  }

  public void setReady(Boolean ready) {
    this.ready = ready;
  }

  public Boolean getRedisUp() {
    return redisUp;
  }

  public void setRedisUp(Boolean redisUp) {
    this.redisUp = redisUp;
  }

  public String getPodIP() {
    return podIP;
  }

  public void setPodIP(String podIP) {
    this.podIP = podIP;
  }

  public String getReplicationId() {
    return replicationId;
  }

  public void setReplicationId(String replicationId) {
    this.replicationId = replicationId;
  }

  public Long getReplicationOffset() {
    return replicationOffset;
  }

  public void setReplicationOffset(Long replicationOffset) {
    this.replicationOffset = replicationOffset;
  }

  public Long getLagBytes() {
    return lagBytes;
  }

  public void setLagBytes(Long lagBytes) {
    this.lagBytes = lagBytes;
  }

  public Boolean getLinkUp() {
    return linkUp;
  }

  public void setLinkUp(Boolean linkUp) {
    this.linkUp = linkUp;
  }

  public Boolean getFenced() {
    return fenced;
  }

  public void setFenced(Boolean fenced) {
    this.fenced = fenced;
  }

  public String getLastSeen() {
    return lastSeen;
  }

  public void setLastSeen(String lastSeen) {
    this.lastSeen = lastSeen;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstanceStatusEntry e
        && role == e.role
        && Objects.equals(ready, e.ready)
        && Objects.equals(redisUp, e.redisUp)
        && Objects.equals(podIP, e.podIP)
        && Objects.equals(replicationId, e.replicationId)
        && Objects.equals(replicationOffset, e.replicationOffset)
        && Objects.equals(lagBytes, e.lagBytes)
        && Objects.equals(linkUp, e.linkUp)
        && Objects.equals(fenced, e.fenced)
        && Objects.equals(lastSeen, e.lastSeen);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        role,
        ready,
        redisUp,
        podIP,
        replicationId,
        replicationOffset,
        lagBytes,
        linkUp,
        fenced,
        lastSeen);
  }
}
