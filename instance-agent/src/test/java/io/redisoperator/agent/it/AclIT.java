package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.acl.PasswordHash;
import io.redisoperator.protocol.agent.InstanceLayout;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ACL users on a real redis-server pair: the restricted default user, the operator's users (the
 * agent and replication keep working), a declared user's lifecycle, a dual-password rotation under
 * a client that keeps authenticating, a refused rule that changes nothing, and the ACL file on the
 * data volume.
 */
class AclIT {
  private static final List<String> APP_RULES = List.of("~app:*", "+@read", "+@write");
  @RegisterExtension final AgentHarness h = new AgentHarness();

  private static AclUsers users(long generation, AclUser... declared) {
    List<AclUser> users =
        new ArrayList<>(
            AgentHarness.aclUsers(generation, OperatorUsers.DEFAULT_RULES, AgentHarness.PASSWORD)
                .users());
    users.addAll(List.of(declared));
    return new AclUsers(generation, users);
  }

  private static AclUser app(String... passwords) {
    return new AclUser(
        "app", APP_RULES, java.util.Arrays.stream(passwords).map(PasswordHash::of).toList());
  }

  private static void project(AclUsers users, AgentHarness.Node... nodes) throws Exception {
    for (AgentHarness.Node n : nodes) {
      n.projectAcl(users);
    }
    for (AgentHarness.Node n : nodes) {
      AgentHarness.await(
          n.podName + " applies generation " + users.generation(),
          Duration.ofSeconds(10),
          () ->
              n.status().acl() != null
                  && n.status().acl().appliedGeneration() == users.generation());
    }
  }

  private static String attempt(AgentHarness.Node n, String user, String password, String key) {
    try (RedisConnection c = new RedisConnection(n.ip, user, password, null)) {
      c.sync().set(key, "v");
      return null;
    } catch (RuntimeException e) {
      // A refused AUTH surfaces as a connection failure whose cause carries Redis' answer
      // (WRONGPASS ...).
      StringBuilder messages = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append(" / ");
      }
      return messages.toString();
    }
  }

  @Test
  void usersApplyLiveRotateWithoutAGapAndARefusedRuleChangesNothing() throws Exception {
    h.clusterStatus(null, List.of());
    AgentHarness.Node a = h.node(0, "127.0.19.11");
    AgentHarness.Node b = h.node(1, "127.0.19.12");
    a.projectAcl(users(1));
    b.projectAcl(users(1));
    a.start();
    b.start();
    h.pod(a.podName, a.ip);
    h.pod(b.podName, b.ip);
    AgentHarness.await("rc-0 up", Duration.ofSeconds(15), () -> a.status().redisUp());
    AgentHarness.await("rc-1 up", Duration.ofSeconds(15), () -> b.status().redisUp());
    // Replication authenticates as the replication user.
    b.replicateFrom(a);
    AgentHarness.await(
        "replica linked",
        Duration.ofSeconds(10),
        () -> Boolean.TRUE.equals(b.status().masterLinkUp()));
    project(users(1), a, b);

    // default: data commands yes, administration no.
    try (RedisConnection c = a.redis()) {
      assertNull(c.trySet("k", "v"));
      String refused = tryConfigGet(c);
      assertTrue(refused.contains("NOPERM"), refused);
    }
    // The replication user can replicate and nothing else.
    String asReplication =
        attempt(a, OperatorUsers.REPLICATION, AgentHarness.REPLICATION_PASSWORD, "x");
    assertTrue(asReplication.contains("NOPERM"), asReplication);

    // A declared user: its keys only.
    project(users(2, app("app-1")), a, b);
    assertNull(attempt(a, "app", "app-1", "app:1"));
    assertTrue(attempt(a, "app", "app-1", "other:1").contains("NOPERM"));
    assertTrue(
        Files.readString(a.dataDir.resolve(InstanceLayout.ACL_FILE)).contains("user app "),
        "the ACL file on the data volume holds the user");

    // Rotation: a client keeps opening connections with the password it has, switching once the new
    // one is valid
    // everywhere; not one attempt may fail.
    AtomicReference<String> clientPassword = new AtomicReference<>("app-1");
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger attempts = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread client =
        new Thread(
            () -> {
              while (running.get()) {
                for (AgentHarness.Node n : List.of(a)) {
                  String error = attempt(n, "app", clientPassword.get(), "app:rotating");
                  attempts.incrementAndGet();
                  if (error != null) {
                    failures.add(clientPassword.get() + ": " + error);
                  }
                }
              }
            });
    client.start();
    try {
      AgentHarness.await("client running", Duration.ofSeconds(5), () -> attempts.get() > 5);
      project(users(3, app("app-2", "app-1")), a, b); // both valid on every pod
      clientPassword.set("app-2");
      int before = attempts.get();
      AgentHarness.await(
          "client uses the new password", Duration.ofSeconds(5), () -> attempts.get() > before + 5);
      project(users(4, app("app-2")), a, b); // every pod had the new one: the old goes
      int after = attempts.get();
      AgentHarness.await(
          "client keeps going", Duration.ofSeconds(5), () -> attempts.get() > after + 5);
    } finally {
      running.set(false);
      client.join();
    }
    assertEquals(List.of(), failures, "no authentication failed during the rotation");
    String old = attempt(a, "app", "app-1", "app:1");
    assertTrue(old != null && old.contains("WRONGPASS"), "the old password is gone: " + old);

    // A rule Redis refuses: nothing of that generation applies (not even the other user's change),
    // and it is reported.
    AclUser broken =
        new AclUser("broken", List.of("+nosuchcommand"), List.of(PasswordHash.of("b")));
    AclUser reader = new AclUser("reader", List.of("~*", "+@read"), List.of(PasswordHash.of("r")));
    a.projectAcl(users(5, app("app-2"), reader, broken));
    AgentHarness.await(
        "refusal reported", Duration.ofSeconds(10), () -> a.status().acl().rejected() != null);
    String rejected = a.status().acl().rejected();
    assertTrue(rejected.contains("'broken'") && rejected.contains("nosuchcommand"), rejected);
    assertEquals(4, a.status().acl().appliedGeneration());
    assertTrue(
        attempt(a, "reader", "r", "app:1").contains("WRONGPASS"),
        "nothing of the refused generation applied");

    // A user removed from the list is removed from Redis.
    project(users(6), a, b);
    assertTrue(attempt(a, "app", "app-2", "app:1").contains("WRONGPASS"));
    assertFalse(Files.readString(a.dataDir.resolve(InstanceLayout.ACL_FILE)).contains("user app "));
    // The agent (status, replication control) worked all along as its own user.
    assertTrue(b.status().redisUp() && Boolean.TRUE.equals(b.status().masterLinkUp()));
  }

  @Test
  void aRestartedPodComesBackWithItsUsersBeforeItAcceptsConnections() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.19.13");
    a.projectAcl(users(1, app("app-1")));
    a.start();
    a.awaitUp();
    project(users(1, app("app-1")), a);
    a.stop();
    // The Secret is gone meanwhile: the users come from the ACL file on the data volume.
    Files.delete(a.aclDir.resolve(InstanceLayout.ACL_KEY_USERS));
    a.start();
    AgentHarness.await("rc-0 up again", Duration.ofSeconds(15), () -> a.status().redisUp());
    assertNull(attempt(a, "app", "app-1", "app:after-restart"));
  }

  private static String tryConfigGet(RedisConnection c) {
    try {
      c.sync().configGet("maxmemory");
      return "allowed";
    } catch (RuntimeException e) {
      return String.valueOf(e.getMessage());
    }
  }
}
