package io.redisoperator.agent.backup;

import io.redisoperator.agent.kube.ClusterView;
import java.util.Optional;

/** Pure: whether this pod restores the cluster's bootstrap backup before its Redis starts. */
public record RestoreDecision(Action action, String reason) {
  public enum Action {
    /** Start Redis as usual. */
    NONE,
    /** Download, verify and swap in the backup, then start. */
    RESTORE,
    /**
     * The data directory already holds the restored dataset (the swap finished, its marker did
     * not): record it.
     */
    ADOPT,
    /** Do not start Redis yet: it might start empty where a restore is due. */
    WAIT
  }

  /**
   * @param view the cluster as read from the API server, empty when it could not be read
   * @param restored the data directory carries the marker of a finished restore
   * @param datasetPresent the data directory holds an RDB or AOF Redis would load
   */
  public static RestoreDecision decide(
      boolean sourceConfigured,
      String podName,
      int ordinal,
      Optional<ClusterView> view,
      boolean restored,
      boolean datasetPresent) {
    if (!sourceConfigured) {
      return new RestoreDecision(Action.NONE, "no bootstrap backup");
    }
    if (restored) {
      return new RestoreDecision(Action.NONE, "already restored");
    }
    if (ordinal != 0) {
      return new RestoreDecision(Action.NONE, "not the first instance: it syncs from the primary");
    }
    if (view.isEmpty()) {
      return new RestoreDecision(Action.WAIT, "cannot read the cluster to tell whether it is new");
    }
    String primary = view.get().currentPrimary();
    if (primary != null && !primary.equals(podName)) {
      return new RestoreDecision(Action.NONE, "the cluster already runs with primary " + primary);
    }
    if (datasetPresent) {
      return new RestoreDecision(Action.ADOPT, "the data directory already holds a dataset");
    }
    return new RestoreDecision(Action.RESTORE, "new cluster bootstrapped from a backup");
  }
}
