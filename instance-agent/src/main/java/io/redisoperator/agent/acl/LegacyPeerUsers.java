package io.redisoperator.agent.acl;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.secrets.ProjectedFiles;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.InstanceLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upgrade path from an operator version before ACL users. A Redis of that version knows only
 * {@code default} (its {@code requirepass} is the cluster's auth password, with every right), so a
 * replica of this version, which authenticates as {@link OperatorUsers#REPLICATION}, cannot link to
 * it and a rolling update would wait for that replica forever. On the controller's request this
 * agent logs in to such a peer as {@code default} and gives it the operator's users exactly as its
 * own Redis has them (the hashes and rules of the projected {@code users.json}), and points the
 * peer's own {@code masteruser}/{@code masterauth} at the replication user, so that after the
 * switchover that ends the upgrade the old primary can hand over to, and follow, a new one. Only in
 * memory on the peer: a restarted old pod needs it again, which the controller's next pass does.
 */
public final class LegacyPeerUsers {
  private static final Logger log = LoggerFactory.getLogger(LegacyPeerUsers.class);
  private static final List<String> OPERATOR_USERS =
      List.of(OperatorUsers.AGENT, OperatorUsers.REPLICATION, OperatorUsers.SENTINEL);

  /** Opens a connection to a peer as {@code default} with the given password. */
  @FunctionalInterface
  public interface PeerConnector {
    RedisCommands connect(Endpoint peer, Supplier<String> defaultPassword);
  }

  /** Why a peer was not given the users (an answer for the caller). */
  public static final class NotSeeded extends Exception {
    private static final long serialVersionUID = 1L;

    public NotSeeded(String message) {
      super(message);
    }
  }

  private final Path aclDir;
  private final Path authDir;
  private final PeerConnector connector;

  public LegacyPeerUsers(Path aclDir, Path authDir, PeerConnector connector) {
    this.aclDir = aclDir;
    this.authDir = authDir;
    this.connector = connector;
  }

  /**
   * The connector of a data pod: from the pod's own address, over TLS checked against {@code tlsCa}
   * when set.
   */
  public static PeerConnector connector(String podIp, Duration timeout, Path tlsCa) {
    return (peer, password) ->
        new RedisCommands(peer.host(), peer.port(), null, password, timeout, podIp, tlsCa);
  }

  /** Sets the operator's users on {@code peer}; completes with their names. */
  public CompletionStage<List<String>> seed(Endpoint peer, String defaultPassword) {
    List<AclUser> users;
    String replicationPassword;
    try {
      users = operatorUsers();
      replicationPassword =
          ProjectedFiles.read(authDir, InstanceLayout.AUTH_KEY_REPLICATION)
              .map(ProjectedValue::value)
              .filter(v -> !v.isEmpty())
              .orElseThrow(() -> new NotSeeded("no replication password projected yet"));
    } catch (NotSeeded | IOException e) {
      return CompletableFuture.failedFuture(
          e instanceof NotSeeded ? e : new NotSeeded("cannot read the ACL users: " + e));
    }
    RedisCommands peerRedis = connector.connect(peer, () -> defaultPassword);
    CompletionStage<String> chain = CompletableFuture.completedFuture("OK");
    for (AclUser user : users) {
      chain = chain.thenCompose(x -> peerRedis.aclSetUser(user.name(), user.setUserArguments()));
    }
    List<String> names = users.stream().map(AclUser::name).toList();
    return chain
        .thenCompose(
            x ->
                peerRedis.configSet(
                    Map.of(
                        "masteruser",
                        OperatorUsers.REPLICATION,
                        "masterauth",
                        replicationPassword)))
        .thenApply(
            x -> {
              log.info(
                  "gave {} the operator's users {} (upgrade from before ACL users)", peer, names);
              return names;
            })
        .whenComplete((x, e) -> CompletableFuture.runAsync(peerRedis::close));
  }

  /** The operator's users as this pod's Redis has them. */
  private List<AclUser> operatorUsers() throws IOException, NotSeeded {
    AclUsers desired =
        AclSync.read(aclDir).orElseThrow(() -> new NotSeeded("no ACL users projected yet"));
    List<AclUser> users = new ArrayList<>();
    for (String name : OPERATOR_USERS) {
      users.add(
          desired.user(name).orElseThrow(() -> new NotSeeded("user " + name + " not projected")));
    }
    return users;
  }
}
