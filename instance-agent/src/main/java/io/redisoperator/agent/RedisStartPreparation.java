package io.redisoperator.agent;

import io.redisoperator.agent.acl.AclSync;
import io.redisoperator.agent.backup.BackupException;
import io.redisoperator.agent.backup.RestoreService;
import io.redisoperator.agent.instance.InstanceCommand;
import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.agent.kube.ClusterView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * What comes before every start of redis-server, as the supervisor asks for it: the bootstrap
 * restore when one is due, the instance actor's conf ({@link InstanceCommand.PrepareStart}: boot
 * guard, fencing, redis.conf), and the ACL file Redis refuses to start without. A failed or pending
 * step fails the start, which the supervisor retries with backoff.
 */
final class RedisStartPreparation implements Supplier<CompletionStage<Path>> {
  private final RestoreService restore;
  private final ClusterReader reader;
  private final Executor blocking;
  private final ActorSystem<Void> system;
  private final ActorRef<InstanceCommand> instance;
  private final AgentSettings settings;

  RedisStartPreparation(
      RestoreService restore,
      ClusterReader reader,
      Executor blocking,
      ActorSystem<Void> system,
      ActorRef<InstanceCommand> instance,
      AgentSettings settings) {
    this.restore = restore;
    this.reader = reader;
    this.blocking = blocking;
    this.system = system;
    this.instance = instance;
    this.settings = settings;
  }

  /** The conf file redis-server is to start with. */
  @Override
  public CompletionStage<Path> get() {
    return restoreThenPrepare().thenApplyAsync(this::withAclFile, blocking);
  }

  /**
   * On a pod that mounts a restore source: restore the bootstrap backup when it is due (on the
   * blocking pool: it may take minutes), then prepare the conf as usual. Redis never starts empty
   * in the restore's place.
   */
  private CompletionStage<Path> restoreThenPrepare() {
    if (!restore.configured()) {
      return prepare();
    }
    return reader
        .read()
        .handle((view, e) -> e == null ? Optional.of(view) : Optional.<ClusterView>empty())
        .thenApplyAsync(
            view -> {
              try {
                restore.ensureRestored(view);
                return view;
              } catch (BackupException e) {
                throw new CompletionException(e);
              }
            },
            blocking)
        .thenCompose(ignored -> prepare());
  }

  private CompletionStage<Path> prepare() {
    Duration timeout =
        settings.timing().kubeTimeout().multipliedBy(3).plus(settings.timing().operationTimeout());
    return AskPattern.askWithStatus(
        instance, InstanceCommand.PrepareStart::new, timeout, system.scheduler());
  }

  /** A new data volume gets an ACL file with the operator's users. */
  private Path withAclFile(Path conf) {
    try {
      AclSync.ensureFile(settings.dirs().acl(), settings.dirs().aclFile());
      return conf;
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }
}
