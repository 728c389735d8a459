package io.redisoperator.agent.http;

import io.redisoperator.protocol.agent.AgentApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Checks {@code Authorization: Bearer <token>} against the projected token, in constant time. */
public final class BearerAuth {
  private final AtomicReference<String> token;

  /** @param token the current token (updated when the projected file changes); null or empty denies everything */
  public BearerAuth(AtomicReference<String> token) {
    this.token = token;
  }

  public boolean allows(Optional<String> authorizationHeader) {
    String expected = token.get();
    if (expected == null || expected.isEmpty() || authorizationHeader.isEmpty()) {
      return false;
    }
    String header = authorizationHeader.get();
    if (!header.startsWith(AgentApi.BEARER_PREFIX)) {
      return false;
    }
    byte[] presented = header.substring(AgentApi.BEARER_PREFIX.length()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(presented, expected.getBytes(StandardCharsets.UTF_8));
  }
}
