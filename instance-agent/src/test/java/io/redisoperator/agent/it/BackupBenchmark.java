package io.redisoperator.agent.it;

import io.redisoperator.agent.AgentMain;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.agent.RestoreSource;
import io.redisoperator.protocol.crd.BackupMethod;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.testsupport.S3TestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code make bench-backup}: agents in their own JVMs (the sandbox pods' JVM options), a primary
 * and a replica with a dataset of {@code -Dbench.dataset.mb} (default 64) of random hex values,
 * s3proxy (filesystem) as the store. For each run (rdb cold, rdb warm, aof warm, then rdb and aof
 * warm again with the primary on a core of its own: {@link Pinning}) it backs up the replica while
 * a writer runs on the primary, uploads the same files plainly with the same SDK (the floor),
 * restores into a new cluster's first pod, and prints one line:
 *
 * <pre>
 * backup: method=rdb dataset_mb=.. backup_s=.. floor_s=.. ratio=.. agent_rss_peak_mb=.. restore_s=.. ...
 * </pre>
 *
 * Not a test ({@code *Benchmark}): run by {@code -Dit.test=BackupBenchmark}.
 */
class BackupBenchmark {
  private static final String BUCKET = "bench";

  /** The agent's single-PUT limit (SinglePutStream.MAX_BYTES): above it, a multipart upload. */
  private static final long SINGLE_PUT_MAX_BYTES = 5L * 1024 * 1024 * 1024;

  private static final int VALUE_BYTES = 64 * 1024;

  /** Each restore is a new cluster's first pod, on an address (and data directory) of its own. */
  private static final java.util.concurrent.atomic.AtomicInteger RESTORE_ADDRESSES =
      new java.util.concurrent.atomic.AtomicInteger(3);

  private static final List<String> AGENT_JVM =
      List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms32m", "-Xmx192m");

  /**
   * {@code -Dbench.nmt=true}: the agents also run with native memory tracking, and each run writes
   * what the backup added by JVM area (heap, classes, code, threads...) to {@code
   * target/bench-backup-nmt-<run>.txt}.
   */
  private static final boolean NMT = Boolean.getBoolean("bench.nmt");

  /** What the launcher does for {@code instance}. */
  public static final class Entry {
    public static void main(String[] args) {
      System.exit(AgentMain.run(args));
    }
  }

  @Test
  void run() throws Exception {
    int datasetMb = Integer.getInteger("bench.dataset.mb", 64);
    Path work = Path.of("target", "bench-backup").toAbsolutePath();
    deleteRecursively(work);
    Files.createDirectories(work);
    try (AgentHarness h = AgentHarness.started();
        S3TestStore store = new S3TestStore(work.resolve("store"))) {
      store.createBucket(BUCKET);
      h.clusterStatus("rc-0", List.of());
      try (AgentProcess primary = AgentProcess.start(h, store, 0, "127.0.19.1", work);
          AgentProcess replica = AgentProcess.start(h, store, 1, "127.0.19.2", work)) {
        primary.awaitUp();
        replica.awaitUp();
        // What the controller would do if the replica's boot read of the API timed out (a loaded
        // machine).
        // The agent replicates only from a pod of its cluster at that pod's address
        // (ReplicationSources).
        h.pod(primary.node.podName, primary.node.ip);
        AgentHarness.Reply linked =
            replica.node.call(
                "POST",
                AgentApi.PATH_REPLICATE,
                new io.redisoperator.protocol.agent.ReplicateRequest(
                    primary.node.ip, AgentApi.REDIS_PORT, primary.node.podName));
        if (linked.status() != 200) {
          throw new AssertionError("replicate refused: " + linked.body());
        }
        fill(primary, datasetMb);
        awaitInSync(primary, replica);
        // The first backup of an agent also loads and compiles the SDK: reported apart as run=cold.
        // Then the same warm runs again with the primary's Redis and the writer on a core of their
        // own (what separate nodes give in a cluster: see Pinning).
        List<BackupMethod> runs =
            List.of(
                BackupMethod.RDB,
                BackupMethod.RDB,
                BackupMethod.AOF,
                BackupMethod.RDB,
                BackupMethod.AOF);
        Pinning pinning = Pinning.fromProperty();
        for (int i = 0; i < runs.size(); i++) {
          boolean pinned = i >= 3;
          if (pinned && !pinning.possible()) {
            break;
          }
          if (pinned && !pinning.active()) {
            pinning.apply(primary);
          }
          String line =
              measure(
                  h,
                  store,
                  primary,
                  replica,
                  runs.get(i),
                  datasetMb,
                  work,
                  i == 0 ? "cold" : "warm",
                  pinned ? pinning : Pinning.NONE);
          System.out.println(line);
          Files.writeString(
              Path.of("target", "bench-backup-results.txt"),
              line + System.lineSeparator(),
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND);
        }
      }
    }
  }

  private static String measure(
      AgentHarness h,
      S3TestStore store,
      AgentProcess primary,
      AgentProcess replica,
      BackupMethod method,
      int datasetMb,
      Path work,
      String run,
      Pinning pinning)
      throws Exception {
    long gcBefore = gcMillis();
    LatencyWriter before = new LatencyWriter(primary.node, pinning).start();
    AgentHarness.await("writer warm", Duration.ofSeconds(30), () -> before.count() > 200);
    long warm = System.nanoTime();
    AgentHarness.await(
        "baseline window", Duration.ofSeconds(30), () -> System.nanoTime() - warm > 5_000_000_000L);
    double p99Before = before.stopAndP99();
    long gcBaseline = gcMillis() - gcBefore;

    String id = "bench-" + method.name().toLowerCase() + "-" + System.nanoTime();
    ObjectLocation location =
        new ObjectLocation(
            store.endpoint(),
            "us-east-1",
            true,
            BUCKET,
            "bench/" + id + (method == BackupMethod.RDB ? ".rdb" : ".tar"));
    if (NMT) {
      replica.jcmd("VM.native_memory", "baseline");
    }
    long rssBase = replica.rssKb();
    AtomicLong rssPeak = new AtomicLong(rssBase);
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                rssPeak.accumulateAndGet(replica.rssKb(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(
                    20_000_000L); // the sampling period
              }
            },
            "rss-sampler");
    sampler.start();
    AtomicLong uploadSeenAt = new AtomicLong();
    // The first byte in the store: s3proxy's filesystem store writes a PUT's body into a temporary
    // file next to the object's; a multipart upload is listed as started.
    Path objectDir = work.resolve("store").resolve(BUCKET).resolve("bench");
    Thread uploadWatch =
        new Thread(
            () -> {
              while (sampling.get() && uploadSeenAt.get() == 0) {
                if (storeHasBytesOf(objectDir, id) || store.pendingUploads(BUCKET) > 0) {
                  uploadSeenAt.set(System.nanoTime());
                }
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // the polling period
              }
            },
            "upload-watch");
    uploadWatch.start();
    long gcDuringStart = gcMillis();
    LatencyWriter during = new LatencyWriter(primary.node, pinning).start();
    long start = System.nanoTime();
    AgentHarness.Reply accepted =
        replica.node.call("POST", AgentApi.PATH_BACKUP, new BackupRequest(id, method, location));
    if (accepted.status() != 202) {
      throw new AssertionError("backup refused: " + accepted.body());
    }
    AgentHarness.await(
        "backup " + id,
        Duration.ofMinutes(30),
        () -> {
          BackupProgress p =
              replica.node.call("GET", AgentApi.PATH_BACKUP, null).as(BackupProgress.class);
          return p.backupId().equals(id) && p.finished();
        });
    long end = System.nanoTime();
    double backupSeconds = (end - start) / 1e9;
    if (NMT) {
      Files.writeString(
          Path.of("target", "bench-backup-nmt-" + method.name().toLowerCase() + "-" + run + ".txt"),
          replica.jcmd("VM.native_memory", "summary.diff"));
    }
    double p99During = during.stopAndP99();
    long gcDuring = gcMillis() - gcDuringStart;
    sampling.set(false);
    sampler.join();
    uploadWatch.join();
    double transferSeconds =
        uploadSeenAt.get() == 0 ? backupSeconds : (end - uploadSeenAt.get()) / 1e9;
    BackupProgress done =
        replica.node.call("GET", AgentApi.PATH_BACKUP, null).as(BackupProgress.class);
    if (done.state() != BackupProgress.State.COMPLETED) {
      throw new AssertionError("backup failed: " + done.error());
    }
    String bgsave = "";
    if (method == BackupMethod.RDB) {
      try (RedisConnection c = replica.node.redis()) {
        bgsave = c.info("persistence").get("rdb_last_bgsave_time_sec");
      }
    }

    // The floor: the same bytes, uploaded plainly (one PUT per file) with the same SDK, in the same
    // run.
    List<Path> files =
        method == BackupMethod.RDB
            ? List.of(replica.dataDir.resolve("dump.rdb"))
            : listFiles(replica.dataDir.resolve("appendonlydir"));
    long floorStart = System.nanoTime();
    for (Path f : files) {
      store
          .client()
          .putObject(
              r -> r.bucket(BUCKET).key("floor/" + id + "/" + f.getFileName()),
              RequestBody.fromFile(f));
    }
    double floorSeconds = (System.nanoTime() - floorStart) / 1e9;
    // The same files again as multipart uploads of 8 MiB parts sent one after the other, with the
    // same client: what the store's own multipart path costs (s3proxy's filesystem store copies
    // the parts into the object when the upload completes).
    long multipartStart = System.nanoTime();
    double completeSeconds = 0;
    for (Path f : files) {
      completeSeconds += multipartUpload(store, f, "floor-multipart/" + id + "/" + f.getFileName());
    }
    double floorMultipartSeconds = (System.nanoTime() - multipartStart) / 1e9;

    h.clusterStatus(null, List.of());
    long restoreStart = System.nanoTime();
    double restoreSeconds;
    long expectedKeys;
    try (RedisConnection c = primary.node.redis()) {
      expectedKeys = c.sync().dbsize();
    }
    try (AgentProcess restored =
        AgentProcess.start(
            h,
            store,
            0,
            "127.0.19." + RESTORE_ADDRESSES.getAndIncrement(),
            work,
            new RestoreSource(location, null, null))) {
      restored.awaitUp();
      try (RedisConnection c = restored.node.redis()) {
        AgentHarness.await(
            "restored dataset loaded",
            Duration.ofMinutes(10),
            () -> "0".equals(c.info("persistence").get("loading")));
        long keys = c.sync().dbsize();
        restoreSeconds = (System.nanoTime() - restoreStart) / 1e9;
        if (keys < expectedKeys - before.count() - during.count()) {
          throw new AssertionError("restored " + keys + " keys, expected about " + expectedKeys);
        }
      }
    } finally {
      h.clusterStatus("rc-0", List.of());
      h.pod("rc-0", primary.node.ip);
    }
    return String.format(
        Locale.ROOT,
        "backup: method=%s dataset_mb=%d backup_s=%.2f floor_s=%.2f ratio=%.2f agent_rss_peak_mb=%.1f restore_s=%.2f"
            + " run=%s object_mb=%.1f transfer_s=%.2f transfer_ratio=%.2f bgsave_s=%s write_p99_ms_before=%.2f"
            + " write_p99_ms_during=%.2f floor_multipart_s=%.2f store_complete_s=%.2f upload=%s"
            + " pinning=%s bench_gc_ms_before=%d bench_gc_ms_during=%d",
        method.name().toLowerCase(),
        datasetMb,
        backupSeconds,
        floorSeconds,
        backupSeconds / floorSeconds,
        (rssPeak.get() - rssBase) / 1024.0,
        restoreSeconds,
        run,
        done.sizeBytes() / 1048576.0,
        transferSeconds,
        transferSeconds / floorSeconds,
        bgsave.isEmpty() ? "-" : bgsave,
        p99Before,
        p99During,
        floorMultipartSeconds,
        completeSeconds,
        done.sizeBytes() <= SINGLE_PUT_MAX_BYTES ? "single-put" : "multipart",
        pinning.describe(),
        gcBaseline,
        gcDuring);
  }

  /**
   * The collection time of this JVM so far: its pauses stop the writer too, so they are part of the
   * write latencies measured (the store runs in this JVM).
   */
  private static long gcMillis() {
    long total = 0;
    for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /** Whether a file of the object {@code id} (final or being written) is in the store. */
  private static boolean storeHasBytesOf(Path objectDir, String id) {
    try (Stream<Path> files = Files.list(objectDir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(id));
    } catch (IOException e) {
      return false; // the directory appears with the first object
    }
  }

  /**
   * Uploads {@code file} in 8 MiB parts, one at a time; returns the seconds the completion took.
   */
  private static double multipartUpload(S3TestStore store, Path file, String key)
      throws IOException {
    var s3 = store.client();
    String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
    List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new ArrayList<>();
    byte[] buffer = new byte[8 * 1024 * 1024];
    try (var in = Files.newInputStream(file)) {
      int n;
      while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0 || parts.isEmpty()) {
        int partNumber = parts.size() + 1;
        int length = n;
        String etag =
            s3.uploadPart(
                    r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(partNumber),
                    RequestBody.fromContentProvider(
                        () -> new java.io.ByteArrayInputStream(buffer, 0, length),
                        length,
                        "application/octet-stream"))
                .eTag();
        parts.add(
            software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                .partNumber(partNumber)
                .eTag(etag)
                .build());
        if (n < buffer.length) {
          break;
        }
      }
    }
    long completeStart = System.nanoTime();
    s3.completeMultipartUpload(
        r -> r.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    return (System.nanoTime() - completeStart) / 1e9;
  }

  private static void fill(AgentProcess primary, int datasetMb) {
    int values = datasetMb * 1024 * 1024 / VALUE_BYTES;
    Random random = new Random(42);
    try (RedisConnection c = primary.node.redis()) {
      // The fill is not measured: on a loaded machine a SET may wait longer than the harness's
      // 2 s command timeout (which the latency writers keep).
      c.sync().getStatefulConnection().setTimeout(Duration.ofSeconds(60));
      var async = c.sync().getStatefulConnection().async();
      List<io.lettuce.core.RedisFuture<String>> pending = new ArrayList<>();
      for (int i = 0; i < values; i++) {
        byte[] bytes = new byte[VALUE_BYTES / 2];
        random.nextBytes(bytes);
        pending.add(async.set("data:" + i, java.util.HexFormat.of().formatHex(bytes)));
        if (pending.size() == 64) {
          io.lettuce.core.LettuceFutures.awaitAll(
              Duration.ofSeconds(60), pending.toArray(new io.lettuce.core.RedisFuture[0]));
          pending.clear();
        }
      }
      io.lettuce.core.LettuceFutures.awaitAll(
          Duration.ofSeconds(60), pending.toArray(new io.lettuce.core.RedisFuture[0]));
    }
  }

  private static void awaitInSync(AgentProcess primary, AgentProcess replica)
      throws InterruptedException {
    AgentHarness.await(
        "replica in sync",
        Duration.ofMinutes(10),
        () -> {
          Long p = primary.node.status().replicationOffset();
          Long r = replica.node.status().replicationOffset();
          return p != null
              && p.equals(r)
              && Boolean.TRUE.equals(replica.node.status().masterLinkUp());
        });
  }

  private static List<Path> listFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (Files.exists(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** SETs on the primary in a loop, one at a time, recording each latency. */
  static final class LatencyWriter {
    private final AgentHarness.Node node;
    private final Pinning pinning;
    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;

    LatencyWriter(AgentHarness.Node node, Pinning pinning) {
      this.node = node;
      this.pinning = pinning;
    }

    LatencyWriter start() {
      thread =
          new Thread(
              () -> {
                pinning.pinCurrentThreadToPrimaryCore();
                try (RedisConnection c = node.redis()) {
                  long n = 0;
                  while (running.get()) {
                    long t = System.nanoTime();
                    c.sync().set("writer:" + (n++ % 1000), "v" + n);
                    nanos.add(System.nanoTime() - t);
                  }
                }
              },
              "latency-writer");
      thread.start();
      return this;
    }

    long count() {
      return nanos.size();
    }

    double stopAndP99() throws InterruptedException {
      running.set(false);
      thread.join();
      List<Long> sorted = new ArrayList<>(nanos);
      Collections.sort(sorted);
      return sorted.isEmpty()
          ? -1
          : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1))
              / 1e6;
    }
  }

  /**
   * {@code -Dbench.primary.cpu} (default: the last core; -1 for none): for the pinned runs the
   * primary's redis-server and the writer's thread get that core to themselves, and this JVM (the
   * store, the floor uploads) with every agent and the replica's Redis the others ({@code
   * taskset}), as when the primary runs on a node apart from the replica being backed up and from
   * the store.
   */
  static final class Pinning {
    static final Pinning NONE = new Pinning(-1, "");

    private final int primaryCpu;
    private final String othersCpus;
    private volatile boolean applied;

    Pinning(int primaryCpu, String othersCpus) {
      this.primaryCpu = primaryCpu;
      this.othersCpus = othersCpus;
    }

    static Pinning fromProperty() {
      int cores = Runtime.getRuntime().availableProcessors();
      int cpu = Integer.getInteger("bench.primary.cpu", cores - 1);
      List<String> others = new ArrayList<>();
      for (int c = 0; c < cores; c++) {
        if (c != cpu) {
          others.add(Integer.toString(c));
        }
      }
      return new Pinning(cpu, String.join(",", others));
    }

    boolean possible() {
      return primaryCpu >= 0 && !othersCpus.isEmpty();
    }

    boolean active() {
      return applied;
    }

    /** This JVM and the processes below it to the other cores, then the primary's Redis to its. */
    void apply(AgentProcess primary) throws IOException, InterruptedException {
      taskset("-a", "-p", "-c", othersCpus, Long.toString(ProcessHandle.current().pid()));
      for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
        taskset("-a", "-p", "-c", othersCpus, Long.toString(p.pid()));
      }
      long redisPid;
      try (RedisConnection c = primary.node.redis()) {
        redisPid = c.info("server").getLong("process_id").orElseThrow();
      }
      taskset("-a", "-p", "-c", Integer.toString(primaryCpu), Long.toString(redisPid));
      applied = true;
    }

    void pinCurrentThreadToPrimaryCore() {
      if (!active()) {
        return;
      }
      try {
        String tid = Path.of("/proc/thread-self").toRealPath().getFileName().toString();
        taskset("-p", "-c", Integer.toString(primaryCpu), tid);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    String describe() {
      return active() ? "primary:" + primaryCpu + "/others:" + othersCpus : "none";
    }

    private static void taskset(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of("taskset"));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException("taskset " + String.join(" ", args) + " failed: " + out);
      }
    }
  }

  /** One agent in its own JVM with the pod layout under its own fs root. */
  static final class AgentProcess implements AutoCloseable {
    final AgentHarness.Node node;
    final Path dataDir;
    private final Process process;

    private AgentProcess(AgentHarness.Node node, Path dataDir, Process process) {
      this.node = node;
      this.dataDir = dataDir;
      this.process = process;
    }

    static AgentProcess start(AgentHarness h, S3TestStore store, int ordinal, String ip, Path work)
        throws Exception {
      return start(h, store, ordinal, ip, work, null);
    }

    static AgentProcess start(
        AgentHarness h, S3TestStore store, int ordinal, String ip, Path work, RestoreSource restore)
        throws Exception {
      AgentHarness.Node node = h.node(ordinal, ip);
      h.pod("rc-" + ordinal, ip);
      PodFilesystem pod =
          PodFilesystem.lay(node, Files.createDirectories(work.resolve("pod-" + ip)));
      Path credentials = pod.mount(InstanceLayout.BACKUP_CREDENTIALS_DIR);
      Files.writeString(
          credentials.resolve(InstanceLayout.BACKUP_KEY_ACCESS_KEY_ID), S3TestStore.ACCESS_KEY);
      Files.writeString(
          credentials.resolve(InstanceLayout.BACKUP_KEY_SECRET_ACCESS_KEY), S3TestStore.SECRET_KEY);
      if (restore != null) {
        Files.writeString(
            pod.mount(InstanceLayout.RESTORE_DIR).resolve(InstanceLayout.RESTORE_KEY),
            Json.mapper().writeValueAsString(restore));
      }
      List<String> jvm = new ArrayList<>(AGENT_JVM);
      if (NMT) {
        jvm.add("-XX:NativeMemoryTracking=summary");
      }
      Path data = pod.mount(InstanceLayout.DATA_DIR);
      ProcessBuilder pb = pod.agentProcess(h, node, Entry.class, jvm, List.of());
      return new AgentProcess(node, data, pb.start());
    }

    void awaitUp() throws InterruptedException {
      AgentHarness.await(
          node.podName + " up", Duration.ofMinutes(10), () -> node.status().redisUp());
      if (node.status().fenced()) {
        node.call("DELETE", AgentApi.PATH_FENCE, null);
      }
    }

    /** Runs {@code jcmd} against the agent JVM and returns its output. */
    String jcmd(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
      command.add(Long.toString(process.pid()));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    }

    /** Resident set of the agent JVM (its redis-server child is a process of its own). */
    long rssKb() {
      try {
        for (String line :
            Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException e) {
        return 0;
      }
      return 0;
    }

    @Override
    public void close() throws Exception {
      long redisPid = -1;
      try (RedisConnection c = node.redis()) {
        redisPid = c.info("server").getLong("process_id").orElse(-1);
      } catch (RuntimeException e) {
        // not running
      }
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      if (redisPid > 0) {
        ProcessHandle.of(redisPid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }
}
