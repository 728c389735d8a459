package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the operator observed and decided. {@code currentPrimary}, {@code targetPrimary} and {@code
 * fencedInstances} are the durable record a restarted operator resumes from; the rest is
 * observation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisClusterStatus {
  @PrinterColumn(name = "Phase")
  @JsonPropertyDescription("Where the cluster is in its life cycle (kubectl get rdc shows it).")
  private Phase phase;

  @JsonPropertyDescription("Why the cluster is in this phase, in words.")
  private String phaseReason;

  @JsonPropertyDescription(
      "Ready, PrimaryAvailable, ReplicationHealthy, SwitchoverSucceeded and (mode sentinel) SentinelQuorum.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("metadata.generation of the spec this status was built from.")
  private Long observedGeneration;

  @PrinterColumn(name = "Primary")
  @JsonPropertyDescription("The pod that is primary (the Service rw selects it).")
  private String currentPrimary;

  @JsonPropertyDescription("RFC 3339 time currentPrimary last changed.")
  private String currentPrimaryTimestamp;

  /**
   * The pod that should become primary: equal to currentPrimary except during a failover or
   * switchover.
   */
  @JsonPropertyDescription(
      "The pod that should become primary: equal to currentPrimary except during a failover or switchover.")
  private String targetPrimary;

  @JsonPropertyDescription("RFC 3339 time targetPrimary last changed.")
  private String targetPrimaryTimestamp;

  /**
   * Pods fenced by the operator (not by a human): they must not accept writes until they rejoin as
   * replicas.
   */
  @JsonPropertyDescription(
      "Pods fenced by the operator or by hand: they refuse writes and are never promoted until removed from this list.")
  private List<String> fencedInstances = new ArrayList<>();

  /**
   * Pods the operator could not reach at its latest poll, listed while one is the recorded primary
   * (from its first failed poll until it answers again). An agent listed here no longer counts
   * reading the API server as contact for self-fencing: the operator may be about to replace it, so
   * only the operator or a replica keeps it writable.
   */
  @JsonPropertyDescription(
      "Pods the operator could not reach at its latest poll, listed while one is the recorded primary.")
  private List<String> unreachableInstances = new ArrayList<>();

  @JsonPropertyDescription("What the operator last observed of each data pod, by pod name.")
  private Map<String, InstanceStatusEntry> instancesStatus = new TreeMap<>();

  @PrinterColumn(name = "Ready")
  @JsonPropertyDescription("Data pods that are ready.")
  private Integer readyInstances;

  /** resourceVersion of each Secret the pods use, by Secret name. */
  @JsonPropertyDescription(
      "resourceVersion of each Secret the pods use, by Secret name: a change rolls the new value out.")
  private Map<String, String> secretsResourceVersion = new TreeMap<>();

  /**
   * The latest spec that passed validation. While an edit makes the spec invalid, the operator
   * keeps running the cluster (failover, fencing, recreation) on this one, and a restarted operator
   * finds it here.
   */
  private RedisClusterSpec lastValidSpec;

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getPhaseReason() {
    return phaseReason;
  }

  public void setPhaseReason(String phaseReason) {
    this.phaseReason = phaseReason;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getCurrentPrimary() {
    return currentPrimary;
  }

  public void setCurrentPrimary(String currentPrimary) {
    this.currentPrimary = currentPrimary;
  }

  public String getCurrentPrimaryTimestamp() {
    return currentPrimaryTimestamp;
  }

  public void setCurrentPrimaryTimestamp(String currentPrimaryTimestamp) {
    this.currentPrimaryTimestamp = currentPrimaryTimestamp;
  }

  public String getTargetPrimary() {
    return targetPrimary;
  }

  public void setTargetPrimary(String targetPrimary) {
    this.targetPrimary = targetPrimary;
  }

  public String getTargetPrimaryTimestamp() {
    return targetPrimaryTimestamp;
  }

  public void setTargetPrimaryTimestamp(String targetPrimaryTimestamp) {
    this.targetPrimaryTimestamp = targetPrimaryTimestamp;
  }

  public List<String> getFencedInstances() {
    return fencedInstances;
  }

  public void setFencedInstances(List<String> fencedInstances) {
    this.fencedInstances = fencedInstances;
  }

  public List<String> getUnreachableInstances() {
    return unreachableInstances;
  }

  public void setUnreachableInstances(List<String> unreachableInstances) {
    this.unreachableInstances = unreachableInstances;
  }

  public Map<String, InstanceStatusEntry> getInstancesStatus() {
    return instancesStatus;
  }

  public void setInstancesStatus(Map<String, InstanceStatusEntry> instancesStatus) {
    this.instancesStatus = instancesStatus;
  }

  public Integer getReadyInstances() {
    return readyInstances;
  }

  public void setReadyInstances(Integer readyInstances) {
    this.readyInstances = readyInstances;
  }

  public Map<String, String> getSecretsResourceVersion() {
    return secretsResourceVersion;
  }

  public void setSecretsResourceVersion(Map<String, String> secretsResourceVersion) {
    this.secretsResourceVersion = secretsResourceVersion;
  }

  public RedisClusterSpec getLastValidSpec() {
    return lastValidSpec;
  }

  public void setLastValidSpec(RedisClusterSpec lastValidSpec) {
    this.lastValidSpec = lastValidSpec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisClusterStatus s
        && phase == s.phase
        && Objects.equals(phaseReason, s.phaseReason)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(currentPrimary, s.currentPrimary)
        && Objects.equals(currentPrimaryTimestamp, s.currentPrimaryTimestamp)
        && Objects.equals(targetPrimary, s.targetPrimary)
        && Objects.equals(targetPrimaryTimestamp, s.targetPrimaryTimestamp)
        && Objects.equals(fencedInstances, s.fencedInstances)
        && Objects.equals(unreachableInstances, s.unreachableInstances)
        && Objects.equals(instancesStatus, s.instancesStatus)
        && Objects.equals(readyInstances, s.readyInstances)
        && Objects.equals(secretsResourceVersion, s.secretsResourceVersion)
        && Objects.equals(lastValidSpec, s.lastValidSpec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, currentPrimary, targetPrimary, readyInstances, observedGeneration);
  }
}
