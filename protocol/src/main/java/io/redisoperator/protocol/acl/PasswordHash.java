package io.redisoperator.protocol.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The form Redis keeps a password in ({@code #<hash>} rules, {@code ACL LIST}): SHA-256, lowercase
 * hex.
 */
public final class PasswordHash {
  private PasswordHash() {}

  public static String of(String password) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(password.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
