package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.redisoperator.protocol.validation.RedisDirectives;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every value the spec.redis allowlist accepts is one redis-server's own config parser accepts:
 * each directive is tried with a spread of values (bounds and one past them, units, signs, words),
 * every accepted one is written into a redis.conf, and a real redis-server must start from it.
 */
class UserDirectivesIT {
  private static final List<String> PROBES =
      List.of(
          "0",
          "1",
          "-1",
          "-5",
          "-6",
          "01",
          "-0",
          "1.5",
          "2",
          "10",
          "11",
          "64",
          "65",
          "100",
          "101",
          "500",
          "501",
          "1000",
          "10000",
          "10001",
          "1000000",
          "1000001",
          "2147483647",
          "2147483648",
          "9223372036854775807",
          "9223372036854775808",
          "99999999999999999999",
          "1b",
          "1k",
          "1kb",
          "1m",
          "1mb",
          "512mb",
          "1gb",
          "1GB",
          "1tb",
          "4611686018427387903",
          "4611686018427387904",
          "999999999999gb",
          "mb",
          "yes",
          "no",
          "YES",
          "maybe",
          "abc",
          "volatile-lru",
          "volatile-lfu",
          "volatile-random",
          "volatile-ttl",
          "allkeys-lru",
          "allkeys-lfu",
          "allkeys-random",
          "noeviction",
          "always",
          "everysec",
          "900 1",
          "0 1",
          "900 -1",
          "900",
          "900 1 300 10 60 10000",
          "normal 0 0 0",
          "pubsub 32mb 8mb 60",
          "normal 0 0 0 pubsub 32mb 8mb 60",
          "replica 256mb 64mb 60",
          "master 0 0 0",
          "pubsub 32mb 8mb",
          "KEA",
          "Ex",
          "AKEg$lshzxetdmn",
          "Q",
          "debug",
          "verbose",
          "notice",
          "warning",
          "");

  @TempDir Path dir;

  @Test
  void redisServerStartsFromEveryAcceptedValue() throws Exception {
    Map<String, List<String>> accepted = new TreeMap<>();
    StringBuilder conf =
        new StringBuilder(
            "port 0\nunixsocket "
                + dir.resolve("redis.sock")
                + "\ndaemonize no\nlogfile \"\"\ndir "
                + dir
                + "\n");
    for (String directive : RedisDirectives.allowed()) {
      for (String value : PROBES) {
        if (RedisDirectives.problem(directive, value).isEmpty()) {
          accepted.computeIfAbsent(directive, d -> new ArrayList<>()).add(value);
          conf.append(directive).append(' ').append(value).append('\n');
        }
      }
    }
    assertEquals(
        RedisDirectives.allowed(),
        accepted.keySet(),
        "every directive is tried with a value it accepts");
    // Settle on ordinary values, so the server that parsed everything above starts like any other.
    // (loglevel notice: the start line this test waits for is logged at that level.)
    conf.append(
        "maxmemory 0\ndatabases 16\nmaxclients 100\nrepl-backlog-size 1mb\nloglevel notice\n");
    Path file = dir.resolve("redis.conf");
    Files.writeString(file, conf);

    Process redis =
        new ProcessBuilder("redis-server", file.toString()).redirectErrorStream(true).start();
    StringBuilder log = new StringBuilder();
    java.util.concurrent.CompletableFuture<Boolean> started =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(redis.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  synchronized (log) {
                    log.append(line).append('\n');
                  }
                  if (line.toLowerCase(java.util.Locale.ROOT)
                      .contains("ready to accept connections")) {
                    return true;
                  }
                }
                return false; // exited: a line was refused
              } catch (java.io.IOException e) {
                return false;
              }
            });
    try {
      if (!started.get(30, TimeUnit.SECONDS)) {
        synchronized (log) {
          fail("redis-server refused a value the allowlist accepted:\n" + log);
        }
      }
    } finally {
      redis.destroy();
      assertTrue(redis.waitFor(10, TimeUnit.SECONDS));
    }
  }
}
