package io.redisoperator.protocol.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedisDirectivesTest {
  @Test
  void onlyListedDirectivesMayBeSet() {
    assertTrue(RedisDirectives.isAllowed("maxmemory"));
    for (String owned :
        List.of("tls-cert-file", "Requirepass", "slaveof", "sentinel", "bogus-directive")) {
      assertFalse(RedisDirectives.isAllowed(owned), owned);
    }
  }

  @Test
  void directivesTheSafetyArgumentReliesOnAreTheOperators() {
    for (String safety :
        List.of(
            "repl-ping-replica-period",
            "replica-read-only",
            "replica-serve-stale-data",
            "min-replicas-to-write",
            "min-replicas-max-lag",
            "appendonly",
            "repl-timeout",
            "repl-diskless-sync",
            "replica-priority",
            "aof-use-rdb-preamble")) {
      String problem = RedisDirectives.problem(safety, "1").orElseThrow();
      assertTrue(
          problem.contains("'" + safety + "'"), "the message names the directive: " + problem);
    }
  }

  @Test
  void valuesRedisWouldRefuseAreRefused() {
    assertTrue(RedisDirectives.problem("maxmemory", "512mb").isEmpty());
    assertTrue(RedisDirectives.problem("maxmemory", "1GB").isEmpty());
    assertTrue(RedisDirectives.problem("maxmemory", "1.5gb").isPresent());
    assertTrue(RedisDirectives.problem("maxmemory", "lots").isPresent());
    assertTrue(RedisDirectives.problem("maxmemory-samples", "65").isPresent());
    assertTrue(RedisDirectives.problem("maxmemory-samples", "01").isPresent());
    assertTrue(RedisDirectives.problem("maxmemory-policy", "lru").isPresent());
    assertTrue(RedisDirectives.problem("appendfsync", "sometimes").isPresent());
    assertTrue(RedisDirectives.problem("hz", "0").isPresent());
    assertTrue(RedisDirectives.problem("save", "900").isPresent());
    assertTrue(RedisDirectives.problem("save", "0 1").isPresent());
    assertTrue(RedisDirectives.problem("notify-keyspace-events", "Q").isPresent());
    assertTrue(
        RedisDirectives.problem("client-output-buffer-limit", "replica 1 1 1").isPresent(),
        "the replica class is the operator's");
    assertEquals(
        "value of 'maxmemory-samples' must be an integer between 1 and 64, got '0'",
        RedisDirectives.problem("maxmemory-samples", "0").orElseThrow());
  }

  @Test
  void controlCharactersAndOverlongValuesAreRejected() {
    assertTrue(RedisDirectives.problem("maxmemory", "1gb\r").isPresent());
    assertTrue(RedisDirectives.problem("maxmemory", "1gb\u0000").isPresent());
    assertTrue(RedisDirectives.problem("maxmemory", "1gb\tx").isPresent());
    assertTrue(
        RedisDirectives.problem("maxmemory", "x".repeat(RedisDirectives.MAX_VALUE_LENGTH + 1))
            .isPresent());
    assertTrue(RedisDirectives.problem("save", "900 1 300 10").isEmpty());
    assertTrue(
        RedisDirectives.problem("client-output-buffer-limit", "pubsub 32mb 8mb 60").isEmpty());
  }
}
