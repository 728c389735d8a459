package io.redisoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisUserSpec;
import io.redisoperator.protocol.crd.SecretReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A declared ACL user's password is rotated under an application that opens a new connection (a new
 * AUTH) for every write through the -leader Service: it writes with the old password until the
 * cluster reports both accepted on every pod, then with the new one (within
 * spec.passwordRotationGraceSeconds); not one write may fail, and once the rotation is over the old
 * password is refused. The user can write its own keys only.
 */
@Tag("chaos")
class AclRotationIT extends ScenarioIT {
  private static final String SECRET = "e2e-app-password";
  private static final String USER = "app";

  /**
   * Time for the writer to move to the new password once every pod accepts both, as a client's
   * Secret would.
   */
  private static final int GRACE_SECONDS = 15;

  @Override
  String scenario() {
    return "acl-rotation";
  }

  @Override
  void customize(RedisClusterSpec spec) {
    writePassword("first password");
    spec.setUsers(
        List.of(new RedisUserSpec(USER, "~app:* +@all -@admin", new SecretReference(SECRET))));
    spec.setPasswordRotationGraceSeconds(GRACE_SECONDS);
  }

  private void writePassword(String password) {
    env.client()
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(SECRET)
                .endMetadata()
                .withStringData(Map.of("password", password))
                .build())
        .serverSideApply();
  }

  @Test
  void aPasswordRotationCostsNoWrite() {
    List<String> problems = new ArrayList<>();
    String denied = write("first password", "other:1");
    if (denied == null || !denied.contains("NOPERM")) {
      problems.add("the user wrote outside its keys: " + denied);
    }
    AtomicReference<String> password = new AtomicReference<>("first password");
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger acked = new AtomicInteger();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    Thread writer =
        new Thread(
            () -> {
              for (int n = 0; running.get(); n++) {
                String used = password.get();
                String error = write(used, "app:" + n);
                if (error == null) {
                  acked.incrementAndGet();
                } else {
                  failures.add((used.equals("first password") ? "old" : "new") + ": " + error);
                }
              }
            },
            "acl-writer");
    writer.start();
    long fault = System.nanoTime();
    try {
      awaitWrites(acked, 20);
      writePassword("second password");
      // What the operator promises: both passwords work on every pod before the old one goes.
      cluster.await(
          c -> usersCondition(c).contains("every data pod accepts both"), Duration.ofMinutes(3));
      password.set("second password");
      awaitWrites(acked, 20);
      cluster.await(
          c -> Conditions.isTrue(c.getStatus().getConditions(), ConditionType.USERS_APPLIED),
          Duration.ofMinutes(3));
      awaitWrites(acked, 20);
    } finally {
      running.set(false);
      join(writer);
    }
    if (!failures.isEmpty()) {
      problems.add(
          failures.size() + " writes failed during the rotation, first: " + failures.get(0));
    }
    String old = write("first password", "app:after");
    if (old == null || !old.contains("WRONGPASS")) {
      problems.add("the old password still works after the rotation: " + old);
    }
    finish(fault, (System.nanoTime() - fault) / 1e9, null, problems, true);
  }

  private static String usersCondition(RedisCluster c) {
    return c.getStatus() == null
        ? ""
        : Conditions.find(c.getStatus().getConditions(), ConditionType.USERS_APPLIED)
            .map(cond -> String.valueOf(cond.getMessage()))
            .orElse("");
  }

  /**
   * One write over a fresh connection (so a fresh AUTH); null when acknowledged, else what went
   * wrong.
   */
  private String write(String password, String key) {
    try (StatefulRedisConnection<String, String> c =
        cluster.connect(cluster.leader(), USER, password)) {
      return "OK".equals(c.sync().set(key, "v")) ? null : "not acknowledged";
    } catch (RuntimeException e) {
      StringBuilder messages = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append(" / ");
      }
      return messages.toString();
    }
  }

  private static void awaitWrites(AtomicInteger acked, int more) {
    int target = acked.get() + more;
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (acked.get() < target) {
      assertTrue(System.nanoTime() < deadline, "the writer stopped making progress");
      sleep(50);
    }
  }

  private static void join(Thread t) {
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
