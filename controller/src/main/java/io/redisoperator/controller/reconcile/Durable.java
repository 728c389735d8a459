package io.redisoperator.controller.reconcile;

import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The part of the status that records decisions (who is primary, who should be, who is fenced). A
 * restarted operator resumes from it, so it is written on its own, before anything that depends on
 * it is done.
 */
public record Durable(
    String currentPrimary,
    String currentPrimaryTimestamp,
    String targetPrimary,
    String targetPrimaryTimestamp,
    List<String> fencedInstances) {

  public Durable {
    fencedInstances = fencedInstances == null ? List.of() : List.copyOf(fencedInstances);
  }

  public static Durable of(RedisClusterStatus status) {
    if (status == null) {
      return new Durable(null, null, null, null, List.of());
    }
    return new Durable(
        status.getCurrentPrimary(),
        status.getCurrentPrimaryTimestamp(),
        status.getTargetPrimary(),
        status.getTargetPrimaryTimestamp(),
        status.getFencedInstances());
  }

  public boolean isFenced(String pod) {
    return fencedInstances.contains(pod);
  }

  public Durable withPrimary(String pod, String timestamp) {
    return new Durable(pod, timestamp, pod, timestamp, fencedInstances);
  }

  public Durable withTarget(String pod, String timestamp) {
    return new Durable(currentPrimary, currentPrimaryTimestamp, pod, timestamp, fencedInstances);
  }

  public Durable withFenced(String pod) {
    if (fencedInstances.contains(pod)) {
      return this;
    }
    List<String> fenced = new ArrayList<>(fencedInstances);
    fenced.add(pod);
    return new Durable(
        currentPrimary, currentPrimaryTimestamp, targetPrimary, targetPrimaryTimestamp, fenced);
  }

  public Durable withoutFenced(String pod) {
    List<String> fenced = new ArrayList<>(fencedInstances);
    fenced.remove(pod);
    return new Durable(
        currentPrimary, currentPrimaryTimestamp, targetPrimary, targetPrimaryTimestamp, fenced);
  }

  public void applyTo(RedisClusterStatus status) {
    status.setCurrentPrimary(currentPrimary);
    status.setCurrentPrimaryTimestamp(currentPrimaryTimestamp);
    status.setTargetPrimary(targetPrimary);
    status.setTargetPrimaryTimestamp(targetPrimaryTimestamp);
    status.setFencedInstances(new ArrayList<>(fencedInstances));
  }

  public boolean sameAs(Durable other) {
    return Objects.equals(this, other);
  }
}
