package io.redisoperator.controller.reconcile;

import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.event.EventReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reconcile pass decided: either a durable status decision (written alone, before anything
 * that depends on it) or a list of actions. Also a phase hint for the status and when to look
 * again.
 */
public final class Plan {
  private final List<Action> actions = new ArrayList<>();
  private final List<Action> withDecision = new ArrayList<>();
  private final List<ConditionUpdate> conditions = new ArrayList<>();
  private final List<ConditionType> droppedConditions = new ArrayList<>();
  private Durable decision;
  private String decisionReason;
  private EventReason decisionEvent;
  private Instant wakeAt;
  private Phase phase;
  private String phaseReason;
  private boolean stopped;
  private final List<String> pollNow = new ArrayList<>();

  public void add(Action action) {
    actions.add(action);
  }

  /**
   * Records a durable decision; the remaining steps of this pass are skipped. {@code event} is the
   * Event recorded once the decision is written (a Warning one when something the user asked for
   * did not happen).
   */
  public void decide(Durable durable, EventReason event, String reason) {
    this.decision = durable;
    this.decisionEvent = event;
    this.decisionReason = reason;
  }

  /**
   * An action executed in the same pass as the decision's status write, for what is already true
   * whatever the write's fate (e.g. routing clients to a primary the old one has handed over to).
   */
  public void alongsideDecision(Action action) {
    withDecision.add(action);
  }

  /** A condition this pass sets beyond the ones derived from the phase. */
  public void condition(
      ConditionType type, ConditionStatus status, ConditionReason reason, String message) {
    conditions.add(new ConditionUpdate(type, status, reason, message));
  }

  /** A condition that no longer applies and goes from the status. */
  public void dropCondition(ConditionType type) {
    droppedConditions.add(type);
  }

  public List<ConditionType> droppedConditions() {
    return droppedConditions;
  }

  /** Ends the pass after the current step (nothing else may be touched, e.g. an invalid spec). */
  public void stop() {
    this.stopped = true;
  }

  /** True when a step ended the pass on purpose (not by a decision). */
  public boolean stopped() {
    return stopped;
  }

  public boolean finished() {
    return stopped || decision != null;
  }

  /** A pod whose status a decision waits on: its poller polls now rather than at its interval. */
  public void pollNow(String pod) {
    pollNow.add(pod);
  }

  public List<String> pollNow() {
    return pollNow;
  }

  /** Ask to be run again at {@code at} even if nothing changes (e.g. a promotion gate opening). */
  public void wakeAt(Instant at) {
    if (wakeAt == null || at.isBefore(wakeAt)) {
      wakeAt = at;
    }
  }

  /** The phase that explains what the pass is doing; the first step to set one wins. */
  public void phase(Phase phase, String reason) {
    if (this.phase == null) {
      this.phase = phase;
      this.phaseReason = reason;
    }
  }

  public List<Action> actions() {
    return actions;
  }

  public Durable decision() {
    return decision;
  }

  public String decisionReason() {
    return decisionReason;
  }

  public EventReason decisionEvent() {
    return decisionEvent;
  }

  public List<Action> actionsWithDecision() {
    return withDecision;
  }

  public List<ConditionUpdate> conditions() {
    return conditions;
  }

  /** One condition to set on the status. */
  public record ConditionUpdate(
      ConditionType type, ConditionStatus status, ConditionReason reason, String message) {}

  public Instant wakeAt() {
    return wakeAt;
  }

  public Phase phase() {
    return phase;
  }

  public String phaseReason() {
    return phaseReason;
  }
}
