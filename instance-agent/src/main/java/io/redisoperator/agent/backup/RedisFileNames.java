package io.redisoperator.agent.backup;

import io.redisoperator.protocol.agent.InstanceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pure: the persistence files Redis will load in the data directory, from the rendered settings
 * (the operator's defaults: {@code appendonly yes}, dir {@code appendonlydir}, {@code
 * appendonly.aof}, {@code dump.rdb}).
 */
public record RedisFileNames(
    boolean appendOnly, String aofDir, String aofFileName, String rdbFileName) {
  public static RedisFileNames of(InstanceSettings settings) {
    Map<String, String> d =
        settings == null || settings.redisDirectives() == null
            ? Map.of()
            : settings.redisDirectives();
    return new RedisFileNames(
        !"no".equalsIgnoreCase(unquote(d.getOrDefault("appendonly", "yes"))),
        unquote(d.getOrDefault("appenddirname", "appendonlydir")),
        unquote(d.getOrDefault("appendfilename", "appendonly.aof")),
        unquote(d.getOrDefault("dbfilename", "dump.rdb")));
  }

  public String aofManifestName() {
    return aofFileName + ".manifest";
  }

  /** The name of an RDB used as the base of a fresh multi-part AOF. */
  public String aofRdbBaseName() {
    return aofFileName + ".1.base.rdb";
  }

  /** Whether Redis would load something from {@code dataDir} at start. */
  public boolean datasetIn(Path dataDir) {
    return appendOnly
        ? Files.exists(dataDir.resolve(aofDir).resolve(aofManifestName()))
        : Files.exists(dataDir.resolve(rdbFileName));
  }

  private static String unquote(String v) {
    String s = v.strip();
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }
}
