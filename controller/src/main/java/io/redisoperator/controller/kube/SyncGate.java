package io.redisoperator.controller.kube;

import io.redisoperator.protocol.crd.RedisCluster;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Holds informer events back until every cache has synced. An informer delivers its first objects
 * while the others may still be listing: a cluster's first pass would then see none of its pods or
 * services and create them again (409s) or write a status from nothing. Closed, the gate drops
 * events; {@link #open} then announces every cached cluster once, so each first pass reads full
 * caches. Events and the opening are serialized, so an event passed on after the opening always
 * carries an object at least as new as the one announced.
 */
public final class SyncGate implements ResourceListener {
  private final ResourceListener target;
  private boolean open;

  public SyncGate(ResourceListener target) {
    this.target = target;
  }

  /**
   * Opens the gate once the caches have synced: every cluster {@code cached} returns is announced,
   * then the nodes (a cordoned one may already be there).
   */
  public synchronized void open(Supplier<Collection<RedisCluster>> cached) {
    if (open) {
      return;
    }
    open = true;
    cached.get().forEach(target::clusterChanged);
    target.nodesChanged();
  }

  public synchronized boolean isOpen() {
    return open;
  }

  /** {@code action} run only once the gate is open (for the other informers' callbacks). */
  public Runnable gated(Runnable action) {
    return () -> {
      synchronized (this) {
        if (open) {
          action.run();
        }
      }
    };
  }

  @Override
  public synchronized void clusterChanged(RedisCluster cluster) {
    if (open) {
      target.clusterChanged(cluster);
    }
  }

  @Override
  public synchronized void clusterDeleted(String namespace, String name) {
    if (open) {
      target.clusterDeleted(namespace, name);
    }
  }

  @Override
  public synchronized void ownedChanged(String namespace, String cluster) {
    if (open) {
      target.ownedChanged(namespace, cluster);
    }
  }

  @Override
  public synchronized void nodesChanged() {
    if (open) {
      target.nodesChanged();
    }
  }
}
