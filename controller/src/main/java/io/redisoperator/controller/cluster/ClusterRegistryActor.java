package io.redisoperator.controller.cluster;

import io.redisoperator.protocol.crd.RedisCluster;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Spawns one {@link ClusterActor} per RedisCluster on first sight, routes informer events to it and
 * stops it when the resource is gone (the API server garbage-collects what it owned; PVCs are kept
 * unless asked otherwise).
 */
public final class ClusterRegistryActor extends AbstractBehavior<ClusterRegistryActor.Command> {

  public sealed interface Command {}

  public record ClusterChanged(RedisCluster cluster) implements Command {}

  public record ClusterDeleted(String namespace, String name) implements Command {}

  public record OwnedChanged(String namespace, String cluster) implements Command {}

  /**
   * A node was cordoned or uncordoned: every cluster looks again (a node event names no cluster).
   */
  public enum NodesChanged implements Command {
    INSTANCE
  }

  private record ClusterStopped(String key, ActorRef<ClusterCommand> actor) implements Command {}

  private final ClusterDeps deps;
  private final Map<String, ActorRef<ClusterCommand>> clusters = new HashMap<>();
  private long spawned;

  public static Behavior<Command> create(ClusterDeps deps) {
    return Behaviors.setup(context -> new ClusterRegistryActor(context, deps));
  }

  private ClusterRegistryActor(ActorContext<Command> context, ClusterDeps deps) {
    super(context);
    this.deps = deps;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ClusterChanged.class, this::onClusterChanged)
        .onMessage(ClusterDeleted.class, this::onClusterDeleted)
        .onMessage(OwnedChanged.class, this::onOwnedChanged)
        .onMessage(
            NodesChanged.class,
            m -> {
              clusters.values().forEach(actor -> actor.tell(ClusterCommand.OwnedChanged.INSTANCE));
              return this;
            })
        .onMessage(
            ClusterStopped.class,
            m -> {
              clusters.remove(m.key(), m.actor());
              return this;
            })
        .build();
  }

  private Behavior<Command> onClusterChanged(ClusterChanged message) {
    RedisCluster cluster = message.cluster();
    String ns = cluster.getMetadata().getNamespace();
    String name = cluster.getMetadata().getName();
    String key = key(ns, name);
    ActorRef<ClusterCommand> actor = clusters.get(key);
    if (actor == null) {
      getContext().getLog().info("tracking RedisCluster {}", key);
      // A unique suffix: an actor of a deleted cluster of the same name may still be stopping. The
      // same count is its seniority: its API calls queue behind those of the clusters taken up
      // before it (CallRank).
      long seniority = ++spawned;
      actor =
          getContext()
              .spawn(
                  ClusterActor.create(deps, ns, name, seniority),
                  "cluster-" + ns + "." + name + "-" + seniority);
      getContext().watchWith(actor, new ClusterStopped(key, actor));
      clusters.put(key, actor);
    }
    actor.tell(new ClusterCommand.ClusterUpdated(cluster));
    return this;
  }

  private Behavior<Command> onClusterDeleted(ClusterDeleted message) {
    ActorRef<ClusterCommand> actor = clusters.remove(key(message.namespace(), message.name()));
    if (actor != null) {
      getContext()
          .getLog()
          .info(
              "RedisCluster {} deleted, stopping its actor",
              key(message.namespace(), message.name()));
      getContext().stop(actor);
    }
    return this;
  }

  private Behavior<Command> onOwnedChanged(OwnedChanged message) {
    ActorRef<ClusterCommand> actor = clusters.get(key(message.namespace(), message.cluster()));
    if (actor != null) {
      actor.tell(ClusterCommand.OwnedChanged.INSTANCE);
    }
    return this;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
