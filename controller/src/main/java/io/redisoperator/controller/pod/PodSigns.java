package io.redisoperator.controller.pod;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * Pure: what the API server says of a data pod that is a reason to poll its agent now rather than
 * at the next interval. The kubelet and the API server often learn that a pod's processes are going
 * before a poll does (a deletion, a container that ended or restarted, a container no longer
 * ready); polling at once makes the evidence the failover waits for (a refused address, an agent
 * reporting its Redis exited) arrive that much sooner. Nothing here is evidence itself: the poll's
 * answer is.
 *
 * @param going the pod is being deleted (deletionTimestamp) or its phase is Failed/Succeeded: its
 *     processes are about to end, so its address is polled until it refuses
 * @param ready every container reports ready
 * @param restarts the containers' restart counts, summed
 * @param ended some container's current state is terminated
 */
public record PodSigns(boolean going, boolean ready, int restarts, boolean ended) {

  /** What the poller should do about a change of signs. */
  public enum Reaction {
    NONE,
    /** One poll at once. */
    POLL_NOW,
    /** Poll at once and keep polling quickly while the agent answers (see {@link PodActor}). */
    POLL_UNTIL_REFUSED
  }

  public static PodSigns of(Pod pod) {
    boolean deleting =
        pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean finished = "Failed".equals(phase) || "Succeeded".equals(phase);
    List<ContainerStatus> containers =
        pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getContainerStatuses();
    boolean ready = !containers.isEmpty();
    int restarts = 0;
    boolean ended = false;
    for (ContainerStatus c : containers) {
      ready &= Boolean.TRUE.equals(c.getReady());
      restarts += c.getRestartCount() == null ? 0 : c.getRestartCount();
      ended |= c.getState() != null && c.getState().getTerminated() != null;
    }
    return new PodSigns(deleting || finished, ready, restarts, ended);
  }

  /**
   * @param before the signs last acted on (null: the pod was not seen before, nothing to compare)
   */
  public static Reaction react(PodSigns before, PodSigns now) {
    if (now.going()) {
      return before == null || !before.going() ? Reaction.POLL_UNTIL_REFUSED : Reaction.NONE;
    }
    if (before == null) {
      return Reaction.NONE;
    }
    boolean worse =
        (before.ready() && !now.ready())
            || now.restarts() > before.restarts()
            || (now.ended() && !before.ended());
    return worse ? Reaction.POLL_NOW : Reaction.NONE;
  }
}
