package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.fencing.SelfFencingPolicy;
import io.redisoperator.agent.instance.InternalCommand.FollowPrimary;
import io.redisoperator.agent.instance.InternalCommand.LiftSelfFence;
import io.redisoperator.agent.instance.InternalCommand.RecordedFence;
import io.redisoperator.agent.instance.InternalCommand.ResolveBoot;
import io.redisoperator.agent.instance.InternalCommand.SelfFence;
import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.protocol.agent.SelfFencing;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure: what the agent does about a read of its RedisCluster from the API server (a probe made for
 * self-fencing, boot resolution or a replica whose link is down). {@link InstanceActor} decides
 * when to read and carries the plan out.
 */
public final class ApiReadPlanner {
  private ApiReadPlanner() {}

  /**
   * What the actor knows when a read arrives.
   *
   * @param me this pod's name
   * @param redisPort the port Redis listens on in every pod of the cluster
   * @param readStartedAtMillis when the read was sent: contact is dated by it, never by its end
   * @param becamePrimaryAtMillis when this instance last became a writable primary
   * @param lastUnwritableReportMillis the last status sent that let the controller promote another
   *     instance (Redis dead, fenced, held)
   */
  public record Facts(
      String me,
      int redisPort,
      InstanceState state,
      ClusterView view,
      long readStartedAtMillis,
      long nowMillis,
      long becamePrimaryAtMillis,
      boolean redisRunning,
      long lastUnwritableReportMillis) {}

  /**
   * @param contact the read counts as contact (dated by its start)
   * @param fenceAsRecorded this writable primary is listed in status.fencedInstances
   * @param selfFenceReason non-null: this writable primary must fence itself (another is recorded)
   * @param liftSelfFence the API server confirms this self-fenced primary and it may turn writable
   * @param resolveBoot non-null: a held instance with Redis up resolves its boot; the value says
   *     whether it may turn writable
   * @param follow non-null: the recorded primary moved to this address; the replica follows it
   */
  public record Plan(
      boolean contact,
      boolean fenceAsRecorded,
      String selfFenceReason,
      boolean liftSelfFence,
      Boolean resolveBoot,
      Endpoint follow) {

    /** What the actor tells itself to carry the plan out, in order; {@code view} was read. */
    List<InternalCommand> toSelf(ClusterView view) {
      List<InternalCommand> commands = new ArrayList<>();
      if (fenceAsRecorded) {
        commands.add(new RecordedFence());
      }
      if (selfFenceReason != null) {
        commands.add(new SelfFence(selfFenceReason));
      }
      if (liftSelfFence) {
        commands.add(LiftSelfFence.INSTANCE);
      }
      if (resolveBoot != null) {
        commands.add(new ResolveBoot(view, resolveBoot));
      }
      if (follow != null) {
        commands.add(new FollowPrimary(follow));
      }
      return commands;
    }
  }

  public static Plan afterRead(Facts f) {
    InstanceState state = f.state();
    ClusterView view = f.view();
    boolean writablePrimary = state.writable() && state.replicaOf() == null;
    boolean fenceAsRecorded = writablePrimary && view.fencedInstances().contains(f.me());
    String selfFenceReason =
        writablePrimary
                && !fenceAsRecorded
                && SelfFencingPolicy.mustYieldTo(
                    view, f.me(), f.nowMillis(), f.becamePrimaryAtMillis())
            ? "the API server records " + view.currentPrimary() + " as primary"
            : null;
    boolean mayTurnWritable =
        mayTurnWritable(f.lastUnwritableReportMillis(), f.readStartedAtMillis());
    boolean lift =
        state.selfFenced() && SelfFencingPolicy.mayLiftSelfFence(view, f.me()) && mayTurnWritable;
    Boolean resolveBoot = state.hold() && f.redisRunning() ? mayTurnWritable : null;
    Endpoint recorded = recordedPrimary(view, f.me(), f.redisPort());
    Endpoint follow =
        recorded != null && state.replicaOf() != null && !recorded.equals(state.replicaOf())
            ? recorded
            : null;
    return new Plan(
        view.vouchesFor(f.me()), fenceAsRecorded, selfFenceReason, lift, resolveBoot, follow);
  }

  /**
   * Whether an API read started at {@code readStartedAtMillis} may make Redis writable: only when
   * no status that let the controller promote someone else (Redis dead, fenced, held) was sent
   * within the validity of such a report before it. Otherwise the controller may still be acting on
   * that report (fence record, then promotion) after the read; it resolves the instance itself
   * (unfence or promote), or the report expires.
   */
  public static boolean mayTurnWritable(long lastUnwritableReportMillis, long readStartedAtMillis) {
    return lastUnwritableReportMillis
        < readStartedAtMillis - SelfFencing.UNWRITABLE_REPORT_VALIDITY_MILLIS;
  }

  /** The recorded primary's address when it is another pod with a known IP. */
  static Endpoint recordedPrimary(ClusterView view, String me, int redisPort) {
    if (view.currentPrimary() == null
        || view.currentPrimary().equals(me)
        || view.primaryPodIp() == null
        || view.primaryPodIp().isBlank()) {
      return null;
    }
    try {
      return new Endpoint(view.primaryPodIp(), redisPort);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
