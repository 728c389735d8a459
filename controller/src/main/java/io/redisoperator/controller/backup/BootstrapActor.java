package io.redisoperator.controller.backup;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * For clusters with spec.bootstrap: writes the {@code <cluster>-restore} ConfigMap once the named
 * backup is Completed (until then an event says what it waits for), and reports the first pod's
 * restore as it goes: a Warning event with the agent's error while it fails (the agent keeps Redis
 * stopped and retries), a Normal one once it succeeded.
 */
public final class BootstrapActor extends AbstractBehavior<BootstrapActor.Command> {
  public sealed interface Command {}

  /** A RedisCluster was added or changed. */
  public record ClusterSeen(RedisCluster cluster) implements Command {}

  public record ClusterGone(String namespace, String name) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Done(String key) implements Command {}

  private record RestoreSeen(String key, RedisCluster cluster, BackupProgress progress)
      implements Command {}

  private final BackupDeps deps;
  private final ClusterAgentCredentials agentCredentials;
  private final Map<String, RedisCluster> bootstrapping = new HashMap<>();
  private final Set<String> busy = new HashSet<>();
  private final Map<String, String> lastReported = new HashMap<>();

  public static Behavior<Command> create(BackupDeps deps) {
    return deps.polling(Tick.INSTANCE, context -> new BootstrapActor(context, deps));
  }

  private BootstrapActor(ActorContext<Command> context, BackupDeps deps) {
    super(context);
    this.deps = deps;
    this.agentCredentials = new ClusterAgentCredentials(deps.cache(), deps.clock());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            ClusterSeen.class,
            m -> {
              String key = key(m.cluster());
              if (m.cluster().getStatus() != null
                  && m.cluster().getStatus().getPhase()
                      == io.redisoperator.protocol.crd.Phase.HEALTHY) {
                bootstrapping.remove(key);
                return this;
              }
              // Only a new cluster is bootstrapped: one that already had a primary keeps its data.
              if (m.cluster().getSpec().getBootstrap() != null
                  && (m.cluster().getStatus() == null
                      || m.cluster().getStatus().getCurrentPrimary() == null
                      || bootstrapping.containsKey(key))) {
                bootstrapping.put(key, m.cluster());
              }
              return this;
            })
        .onMessage(
            ClusterGone.class,
            m -> {
              bootstrapping.remove(m.namespace() + "/" + m.name());
              return this;
            })
        .onMessage(Tick.class, m -> tick())
        .onMessage(
            Done.class,
            m -> {
              busy.remove(m.key());
              return this;
            })
        .onMessage(RestoreSeen.class, this::onRestoreSeen)
        .build();
  }

  private Behavior<Command> tick() {
    List<RedisBackup> backups = deps.informers().backups();
    for (RedisCluster c : List.copyOf(bootstrapping.values())) {
      String key = key(c);
      if (busy.contains(key)) {
        continue;
      }
      String ns = c.getMetadata().getNamespace();
      String name = c.getMetadata().getName();
      boolean hasSource =
          deps.cache().ownedBy(ns, name).getOrDefault(ConfigMap.class, List.of()).stream()
              .anyMatch(
                  o -> o.getMetadata().getName().equals(ResourceNames.restoreConfigMap(name)));
      if (!hasSource) {
        RestoreSources.Resolution r =
            RestoreSources.resolve(
                c.getSpec().getBootstrap(),
                backups.stream().filter(b -> ns.equals(b.getMetadata().getNamespace())).toList());
        if (r.source() == null) {
          report(c, EventReason.BOOTSTRAP_WAITING, r.problem());
          continue;
        }
        busy.add(key);
        deps.kube()
            .create(RestoreSources.configMap(c, r.source()))
            .whenComplete((x, e) -> getContext().getSelf().tell(new Done(key)));
        report(
            c,
            EventReason.BOOTSTRAP_SOURCE_READY,
            "restoring "
                + r.source().location().uri()
                + " into "
                + ResourceNames.podName(name, 0)
                + " before Redis starts");
        continue;
      }
      followFirstPod(c, key);
    }
    return this;
  }

  private void followFirstPod(RedisCluster c, String key) {
    String ns = c.getMetadata().getNamespace();
    String name = c.getMetadata().getName();
    String first = ResourceNames.podName(name, 0);
    Optional<String> ip =
        deps.cache().ownedBy(ns, name).getOrDefault(Pod.class, List.of()).stream()
            .filter(p -> p.getMetadata().getName().equals(first))
            .map(p -> ((Pod) p).getStatus() == null ? null : ((Pod) p).getStatus().getPodIP())
            .filter(Objects::nonNull)
            .findFirst();
    Optional<AgentCredentials> credentials = agentCredentials.of(ns, name);
    if (ip.isEmpty() || credentials.isEmpty()) {
      return;
    }
    busy.add(key);
    deps.agents()
        .backupProgress(new AgentEndpoint(first, ip.get(), credentials.get()))
        .whenComplete(
            (p, e) -> getContext().getSelf().tell(new RestoreSeen(key, c, e == null ? p : null)));
  }

  private Behavior<Command> onRestoreSeen(RestoreSeen m) {
    busy.remove(m.key());
    BackupProgress p = m.progress();
    if (p == null || !"restore".equals(p.backupId())) {
      return this;
    }
    if (p.state() == BackupProgress.State.FAILED) {
      report(
          m.cluster(),
          EventReason.RESTORE_FAILED,
          p.error() + " (Redis stays stopped; the agent retries)");
    } else if (p.state() == BackupProgress.State.COMPLETED) {
      report(
          m.cluster(),
          EventReason.RESTORED,
          p.sizeBytes() + " bytes from " + p.location() + ", sha256 verified");
      bootstrapping.remove(m.key());
    }
    return this;
  }

  /** One event per distinct message, so a waiting cluster does not flood its events. */
  private void report(RedisCluster c, EventReason reason, String note) {
    String key = key(c);
    if (!note.equals(lastReported.get(key))) {
      lastReported.put(key, note);
      deps.kube().event(c, reason, "Bootstrap", note);
    }
  }

  private static String key(RedisCluster c) {
    return c.getMetadata().getNamespace() + "/" + c.getMetadata().getName();
  }
}
