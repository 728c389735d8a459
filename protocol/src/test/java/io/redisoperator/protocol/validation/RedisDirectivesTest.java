package io.redisoperator.protocol.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisDirectivesTest {
  @Test
  void ownershipCoversTlsAndSentinelFamilies() {
    assertTrue(RedisDirectives.isOwnedByOperator("tls-cert-file"));
    assertTrue(RedisDirectives.isOwnedByOperator("Requirepass"));
    assertTrue(RedisDirectives.isOwnedByOperator("slaveof"));
    assertFalse(RedisDirectives.isOwnedByOperator("maxmemory"));
  }

  @Test
  void controlCharactersAndOverlongValuesAreRejected() {
    assertTrue(RedisDirectives.problem("maxmemory", "1gb\r").isPresent());
    assertTrue(RedisDirectives.problem("maxmemory", "1gb\u0000").isPresent());
    assertTrue(RedisDirectives.problem("maxmemory", "1gb\tx").isPresent());
    assertTrue(RedisDirectives.problem("maxmemory", "x".repeat(RedisDirectives.MAX_VALUE_LENGTH + 1)).isPresent());
    assertTrue(RedisDirectives.problem("save", "900 1 300 10").isEmpty());
  }
}
