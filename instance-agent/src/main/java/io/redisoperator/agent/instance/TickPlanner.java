package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.fencing.SelfFencingPolicy;
import io.redisoperator.agent.instance.InternalCommand.AdoptRole;
import io.redisoperator.agent.instance.InternalCommand.ReassertWritability;
import io.redisoperator.agent.instance.InternalCommand.SelfFence;
import io.redisoperator.agent.redis.RedisInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pure: what the agent does on its own at each check ({@code SelfFencing.CHECK_INTERVAL_MILLIS}):
 * fence itself when isolated, read the API server, adopt a role Redis took outside the agent, make
 * Redis apply the writability it has not confirmed. {@link InstanceActor} runs the check and
 * carries the plan out.
 */
public final class TickPlanner {
  /** Minimum spacing of attempts to make Redis apply the writability it has not confirmed. */
  public static final long REASSERT_INTERVAL_MILLIS = 500;

  private TickPlanner() {}

  /**
   * What the actor knows at a check (process-monotonic milliseconds).
   *
   * @param info the latest INFO (null: none), sent at {@code infoIssuedAtMillis}
   * @param contactGraceFromMillis when the controller last made or confirmed this primary
   * @param appliedWritable what Redis confirmed (null: unknown)
   * @param operationRunning an operation is in flight
   * @param probing an API read is in flight
   */
  public record Facts(
      long nowMillis,
      InstanceState state,
      RedisInfo info,
      long infoIssuedAtMillis,
      long replicaAckMillis,
      long apiContactMillis,
      long controllerContactMillis,
      long contactGraceFromMillis,
      boolean redisRunning,
      Boolean appliedWritable,
      boolean operationRunning,
      long lastOpFinishedMillis,
      boolean probing,
      long lastProbeStartMillis,
      long lastReassertMillis) {}

  /** Redis's role as the agent should adopt it: {@code replicaOf} null is primary. */
  public record RoleChange(Endpoint replicaOf) {}

  /**
   * @param selfFenceReason non-null: fence now, for this reason
   * @param readApi start an API read now
   * @param adoptRole non-null: Redis changed role on its own; adopt it
   * @param unusableMasterAddress non-null: Redis follows an address the agent cannot use (to log)
   * @param reassertWritability apply the wanted writability again
   */
  public record Plan(
      String selfFenceReason,
      boolean readApi,
      RoleChange adoptRole,
      String unusableMasterAddress,
      boolean reassertWritability) {

    /** What the actor tells itself to carry the plan out, in order (the read it starts itself). */
    List<InternalCommand> toSelf() {
      List<InternalCommand> commands = new ArrayList<>();
      if (selfFenceReason != null) {
        commands.add(new SelfFence(selfFenceReason));
      }
      if (adoptRole != null) {
        commands.add(new AdoptRole(adoptRole));
      }
      if (reassertWritability) {
        commands.add(ReassertWritability.INSTANCE);
      }
      return commands;
    }
  }

  public static Plan atCheck(Facts f) {
    RedisInfo info = f.info();
    InstanceState state = f.state();
    boolean primary = info != null && info.isPrimary();
    boolean replicaJustAnswered = false;
    String selfFenceReason = null;
    if (primary) {
      SelfFencingPolicy.Contact contact =
          SelfFencingPolicy.contact(
              f.nowMillis(),
              info,
              f.infoIssuedAtMillis(),
              f.replicaAckMillis(),
              f.apiContactMillis(),
              f.controllerContactMillis(),
              f.contactGraceFromMillis());
      replicaJustAnswered = contact.replicaJustAnswered();
      if (SelfFencingPolicy.mustSelfFence(
          true, state.writable(), f.nowMillis(), contact.lastContactMillis())) {
        selfFenceReason =
            "no contact with the API server, the controller or any replica for "
                + contact.silentMillis()
                + " ms";
      }
    }
    boolean replicaLinkDown = info != null && !primary && !Boolean.TRUE.equals(info.masterLinkUp());
    boolean wantRead =
        SelfFencingPolicy.needsApiRead(
            f.nowMillis(),
            primary && state.writable(),
            replicaJustAnswered,
            f.controllerContactMillis(),
            replicaLinkDown && state.replicaOf() != null,
            state.selfFenced(),
            state.hold() && f.redisRunning() && info != null);
    boolean readApi =
        wantRead
            && !f.probing()
            && f.nowMillis() - f.lastProbeStartMillis() >= SelfFencingPolicy.PROBE_INTERVAL_MILLIS;
    RoleChange adopt = null;
    String unusable = null;
    if (info != null
        && !f.operationRunning()
        && f.infoIssuedAtMillis() > f.lastOpFinishedMillis()) {
      if (info.isPrimary() && state.replicaOf() != null) {
        adopt = new RoleChange(null);
      } else if (!info.isPrimary()
          && state.replicaOf() == null
          && info.masterHost() != null
          && info.masterPort() != null) {
        try {
          adopt = new RoleChange(new Endpoint(info.masterHost(), info.masterPort()));
        } catch (IllegalArgumentException e) {
          unusable = info.masterHost() + ": " + e.getMessage();
        }
      }
    }
    boolean reassert =
        !f.operationRunning()
            && info != null
            && missesWantedWritability(f.redisRunning(), state, f.appliedWritable())
            && f.nowMillis() - f.lastReassertMillis() >= REASSERT_INTERVAL_MILLIS;
    return new Plan(selfFenceReason, readApi, adopt, unusable, reassert);
  }

  /**
   * A running redis-server that has not confirmed accepting or refusing writes as the state wants.
   */
  public static boolean missesWantedWritability(
      boolean redisRunning, InstanceState state, Boolean appliedWritable) {
    return redisRunning && !Boolean.valueOf(state.writable()).equals(appliedWritable);
  }

  /**
   * Whether a role change queued earlier is still to adopt when its turn comes: the latest INFO
   * (sent after the last operation ended) still shows it, and the state does not have it yet.
   */
  public static boolean roleChangeStillToAdopt(
      RoleChange change,
      InstanceState state,
      RedisInfo info,
      long infoIssuedAtMillis,
      long lastOpFinishedMillis) {
    boolean stillTrue =
        info != null
            && infoIssuedAtMillis > lastOpFinishedMillis
            && (change.replicaOf() == null ? info.isPrimary() : !info.isPrimary());
    return stillTrue && !Objects.equals(change.replicaOf(), state.replicaOf());
  }
}
