package io.redisoperator.agent.acl;

import io.redisoperator.agent.config.ConfigFiles;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.secrets.ProjectedFiles;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.acl.AclStatus;
import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Redis' users equal to the projected {@code users.json}, live: every poll it compares what
 * it last applied with the file, checks every changed user's rules on a scratch user first (so a
 * rule Redis refuses changes nothing at all), then sets the changed users, deletes the undesired
 * ones and rewrites the ACL file on the data volume, which Redis loads when it starts. A refused
 * generation is reported in the status until the file changes.
 */
public final class AclSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AclSync.class);

  private final Path aclDir;
  private final Path aclFile;
  private final RedisCommands redis;
  private final Duration timeout;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "acl-sync");
            t.setDaemon(true);
            return t;
          });
  private volatile AclUsers applied;
  private volatile AclUsers refused;
  private volatile String refusal;

  public AclSync(Path aclDir, Path aclFile, RedisCommands redis, Duration timeout) {
    this.aclDir = aclDir;
    this.aclFile = aclFile;
    this.redis = redis;
    this.timeout = timeout;
  }

  /**
   * Before Redis starts: the ACL file must exist (Redis refuses to start without it), with at least
   * the agent's user.
   */
  public static void ensureFile(Path aclDir, Path aclFile) throws IOException {
    if (Files.exists(aclFile)) {
      return;
    }
    AclUsers desired =
        read(aclDir)
            .orElseThrow(
                () ->
                    new IOException(
                        "no " + InstanceLayout.ACL_KEY_USERS + " at " + aclDir + " yet"));
    ConfigFiles.writePrivate(aclFile, AclFile.bootstrap(desired));
  }

  public void start(Duration interval) {
    scheduler.scheduleWithFixedDelay(
        this::syncQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public AclStatus status() {
    AclUsers a = applied;
    return new AclStatus(a == null ? -1 : a.generation(), refusal);
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (Exception e) {
      log.debug("ACL users not applied yet: {}", e.toString());
    }
  }

  /**
   * One pass; public for tests. Throws when Redis could not be reached (the next pass tries again).
   */
  public void sync()
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    Optional<AclUsers> read = read(aclDir);
    if (read.isEmpty()) {
      return;
    }
    AclUsers desired = read.get();
    if (desired.equals(applied) || desired.equals(refused)) {
      return;
    }
    List<String> present = await(redis.aclUsers());
    AclChange change = AclChange.between(applied, present, desired);
    for (AclUser user : change.set()) {
      try {
        // Switched off and without a password: a check never lets anyone log in.
        List<String> check = new java.util.ArrayList<>(List.of("reset", "off"));
        check.addAll(user.rules());
        await(redis.aclSetUser(OperatorUsers.CHECK, check));
      } catch (ExecutionException e) {
        refused = desired;
        refusal =
            "generation "
                + desired.generation()
                + ": user '"
                + user.name()
                + "': "
                + rootMessage(e);
        log.error("ACL users not applied, Redis refused them: {}", refusal);
        return;
      } finally {
        await(redis.aclDelUser(List.of(OperatorUsers.CHECK)));
      }
    }
    for (AclUser user : change.set()) {
      await(redis.aclSetUser(user.name(), user.setUserArguments()));
    }
    if (!change.delete().isEmpty()) {
      await(redis.aclDelUser(change.delete()));
    }
    ConfigFiles.writePrivate(aclFile, AclFile.render(desired));
    applied = desired;
    refused = null;
    refusal = null;
    log.info(
        "ACL generation {} applied ({} user(s) set, {} deleted)",
        desired.generation(),
        change.set().size(),
        change.delete().size());
  }

  /** The projected users, if the Secret is there yet. */
  static Optional<AclUsers> read(Path aclDir) throws IOException {
    Optional<ProjectedValue> value = ProjectedFiles.read(aclDir, InstanceLayout.ACL_KEY_USERS);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Json.contract().readValue(value.get().value(), AclUsers.class));
  }

  private <T> T await(java.util.concurrent.CompletionStage<T> stage)
      throws InterruptedException, ExecutionException, TimeoutException {
    return stage.toCompletableFuture().get(timeout.toMillis() * 3, TimeUnit.MILLISECONDS);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return Objects.toString(t.getMessage(), t.toString());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
