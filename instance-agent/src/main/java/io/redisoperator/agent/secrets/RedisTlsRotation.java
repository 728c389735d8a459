package io.redisoperator.agent.secrets;

import io.redisoperator.agent.config.RedisTlsFiles;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.protocol.agent.InstanceLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies rotated Redis TLS files live: Redis reads its certificate, key and CA again on a CONFIG
 * SET of their paths (the same paths: the kubelet swaps the files behind them), so new connections
 * get the new certificate while existing ones, replication included, stay up. A Redis that is down
 * at that moment reads the new files when it starts.
 */
public final class RedisTlsRotation {
  private static final Logger log = LoggerFactory.getLogger(RedisTlsRotation.class);

  private RedisTlsRotation() {}

  public static void watch(ProjectedFileWatcher watcher, Path dir, RedisCommands redis)
      throws IOException {
    for (String key :
        List.of(
            InstanceLayout.SECRET_KEY_TLS_CERT,
            InstanceLayout.SECRET_KEY_TLS_KEY,
            InstanceLayout.SECRET_KEY_CA_CERT)) {
      watcher.watch(
          dir,
          key,
          ProjectedFiles.read(dir, key),
          v ->
              redis
                  .configSet(RedisTlsFiles.paths(dir))
                  .whenComplete(
                      (ok, e) -> {
                        if (e != null) {
                          log.warn(
                              "Redis did not reload its TLS files (version {}): {}",
                              v.version(),
                              e.toString());
                        } else {
                          log.info("Redis reloaded its TLS files (version {})", v.version());
                        }
                      }));
    }
  }
}
