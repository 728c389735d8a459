package io.redisoperator.agent.backup;

import io.redisoperator.protocol.crd.BackupMethod;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Writes a downloaded backup into a staging directory in the layout Redis loads, hashing every byte
 * of the object on the way. With AOF on (the operator's default) an RDB becomes the base of a fresh
 * multi-part AOF, so Redis really loads it; an AOF archive is extracted file by file, refusing any
 * entry that is not a plain file of its directory.
 *
 * @param entry the single name under the staging directory to move into the data directory
 */
public record StagedDataset(String entry, long sizeBytes, String sha256) {
  private static final int BUFFER_BYTES = 256 * 1024;

  public static StagedDataset write(
      InputStream object,
      BackupMethod method,
      RedisFileNames names,
      Path staging,
      LongConsumer progress)
      throws IOException, BackupException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    Counting counted = new Counting(new DigestInputStream(object, digest), progress);
    String entry;
    if (method == BackupMethod.RDB && names.appendOnly()) {
      Path aofDir = Files.createDirectories(staging.resolve(names.aofDir()));
      copy(counted, aofDir.resolve(names.aofRdbBaseName()));
      Files.writeString(
          aofDir.resolve(names.aofManifestName()),
          AofManifest.rdbBase(names.aofRdbBaseName()).liveText(),
          StandardCharsets.UTF_8);
      entry = names.aofDir();
    } else if (method == BackupMethod.RDB) {
      copy(counted, staging.resolve(names.rdbFileName()));
      entry = names.rdbFileName();
    } else if (names.appendOnly()) {
      extractAof(counted, staging.resolve(names.aofDir()), names);
      entry = names.aofDir();
    } else {
      throw new BackupException(
          "an aof backup restores only with appendonly yes (spec.redis sets appendonly no)");
    }
    // Whatever follows the archive's end is part of the object too: the checksum covers every byte.
    counted.transferTo(OutputStream.nullOutputStream());
    return new StagedDataset(entry, counted.count, HexFormat.of().formatHex(digest.digest()));
  }

  private static void extractAof(InputStream in, Path aofDir, RedisFileNames names)
      throws IOException, BackupException {
    Files.createDirectories(aofDir);
    TarArchiveInputStream tar = new TarArchiveInputStream(new NonClosing(in));
    Set<String> written = new HashSet<>();
    String manifest = null;
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      if (!e.isFile()) {
        throw new BackupException(
            "the archive holds " + e.getName() + ", which is not a regular file: refused");
      }
      int slash = e.getName().indexOf('/');
      Optional<String> file =
          slash <= 0
              ? Optional.empty()
              : ArchiveNames.fileInDirectory(e.getName(), e.getName().substring(0, slash));
      if (file.isEmpty() || !ArchiveNames.isSimpleFileName(e.getName().substring(0, slash))) {
        throw new BackupException(
            "the archive entry " + e.getName() + " is not <dir>/<file>: refused");
      }
      if (file.get().endsWith(".manifest")) {
        manifest = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        continue;
      }
      Path target = aofDir.resolve(file.get()).normalize();
      if (!target.getParent().equals(aofDir.normalize()) || !written.add(file.get())) {
        throw new BackupException(
            "the archive entry " + e.getName() + " is repeated or escapes: refused");
      }
      copy(tar, target);
    }
    if (manifest == null) {
      throw new BackupException("the archive has no AOF manifest: not an aof backup");
    }
    AofManifest parsed = AofManifest.parse(manifest);
    for (AofManifest.Entry f : parsed.liveFiles()) {
      if (!written.contains(f.name())) {
        throw new BackupException("the archive lacks " + f.name() + ", which its manifest lists");
      }
    }
    Files.writeString(
        aofDir.resolve(names.aofManifestName()), parsed.liveText(), StandardCharsets.UTF_8);
  }

  private static void copy(InputStream in, Path target) throws IOException {
    try (OutputStream out =
        Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[BUFFER_BYTES];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    }
  }

  /** Counts the bytes read and reports them every few MiB. */
  private static final class Counting extends FilterInputStream {
    private static final long REPORT_EVERY = 8L * 1024 * 1024;
    private final LongConsumer progress;
    long count;
    private long reported;

    Counting(InputStream in, LongConsumer progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    private void add(long n) {
      count += n;
      if (count - reported >= REPORT_EVERY) {
        reported = count;
        progress.accept(count);
      }
    }
  }

  /** The tar reader must not close the download before the rest of it has been hashed. */
  private static final class NonClosing extends FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
