package io.redisoperator.agent.config;

import io.redisoperator.protocol.agent.InstanceLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where Redis' TLS files are, as the redis.conf (and CONFIG SET) directives that name them. */
public final class RedisTlsFiles {
  private RedisTlsFiles() {}

  /**
   * {@code tls-cert-file}, {@code tls-key-file}, {@code tls-ca-cert-file} to their absolute paths.
   */
  public static Map<String, String> paths(Path dir) {
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put(
        "tls-cert-file",
        dir.resolve(InstanceLayout.SECRET_KEY_TLS_CERT).toAbsolutePath().toString());
    paths.put(
        "tls-key-file", dir.resolve(InstanceLayout.SECRET_KEY_TLS_KEY).toAbsolutePath().toString());
    paths.put("tls-ca-cert-file", caFile(dir).toAbsolutePath().toString());
    return paths;
  }

  public static Path caFile(Path dir) {
    return dir.resolve(InstanceLayout.SECRET_KEY_CA_CERT);
  }
}
