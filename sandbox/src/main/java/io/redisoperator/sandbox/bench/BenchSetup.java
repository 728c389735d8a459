package io.redisoperator.sandbox.bench;

import java.nio.file.Path;

/** What every pod of the benchmark cluster shares. */
record BenchSetup(
    Path workDir,
    Path java,
    Path operatorJar,
    String namespace,
    String cluster,
    String password,
    String token,
    String apiServerUrl,
    boolean durability) {}
