package io.redisoperator.agent.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The multi-part AOF as one tar archive ({@code <appenddirname>/<file>...}): the manifest's base
 * and incremental files, opened together and each taken up to the size it had right after the
 * manifest was read. Earlier files no longer change and the last one is only appended to, so that
 * prefix is a state Redis really had (a command cut at the very end is dropped on load, as {@code
 * aof-load-truncated} does). Open handles keep files a rewrite deletes meanwhile.
 */
final class AofSnapshot implements Snapshot {
  private static final int ATTEMPTS = 5;
  private static final long TAR_OVERHEAD_PER_ENTRY = 1024;
  private static final int TAR_RECORD = 512;

  /** Names shorter than this fit the entry's header; longer ones add an extended header. */
  private static final int TAR_NAME_LIMIT = 100;

  /** Sizes up to this fit the header's octal field; larger ones add an extended header. */
  private static final long TAR_SIZE_LIMIT = 077777777777L;

  /** One file of the archive, held open at a fixed length. */
  private record Part(String name, FileChannel file, long length) {}

  private final String dirName;
  private final String manifestName;
  private final byte[] manifest;
  private final List<Part> parts;

  private AofSnapshot(String dirName, String manifestName, byte[] manifest, List<Part> parts) {
    this.dirName = dirName;
    this.manifestName = manifestName;
    this.manifest = manifest;
    this.parts = parts;
  }

  static AofSnapshot take(RedisPersistence redis) throws BackupException {
    if (!"yes".equals(redis.config("appendonly"))) {
      throw new BackupException(
          "the aof method needs appendonly yes (spec.redis sets appendonly no): use rdb");
    }
    String dirName = redis.config("appenddirname");
    String manifestName = redis.config("appendfilename") + ".manifest";
    if (!ArchiveNames.isSimpleFileName(dirName) || !ArchiveNames.isSimpleFileName(manifestName)) {
      throw new BackupException(
          "unsupported AOF names: appenddirname " + dirName + ", " + manifestName);
    }
    return read(redis.dir().resolve(dirName), dirName, manifestName);
  }

  /** Reads the manifest in {@code aofDir} and opens the files it lists. */
  static AofSnapshot read(Path aofDir, String dirName, String manifestName) throws BackupException {
    for (int attempt = 1; ; attempt++) {
      List<Part> parts = new ArrayList<>();
      try {
        AofManifest m =
            AofManifest.parse(
                Files.readString(aofDir.resolve(manifestName), StandardCharsets.UTF_8));
        for (AofManifest.Entry e : m.liveFiles()) {
          FileChannel channel = FileChannel.open(aofDir.resolve(e.name()), StandardOpenOption.READ);
          parts.add(new Part(e.name(), channel, channel.size()));
        }
        return new AofSnapshot(
            dirName, manifestName, m.liveText().getBytes(StandardCharsets.UTF_8), parts);
      } catch (NoSuchFileException e) {
        // A rewrite replaced the files between the manifest read and the opens: read the new
        // manifest.
        closeAll(parts);
        if (attempt == ATTEMPTS) {
          throw new BackupException(
              "the AOF kept changing under the backup (" + e.getMessage() + " vanished)", e);
        }
      } catch (IOException e) {
        closeAll(parts);
        throw new BackupException("cannot read the AOF in " + aofDir + ": " + e, e);
      }
    }
  }

  @Override
  public long expectedBytes() {
    if (lengthExact()) {
      // Each entry is a header record and its data padded to whole records; two zero records end
      // the archive (the writer's block is one record, so nothing pads it further).
      long total = entryBytes(manifest.length) + 2L * TAR_RECORD;
      for (Part p : parts) {
        total += entryBytes(p.length());
      }
      return total;
    }
    long total = manifest.length + 2 * TAR_OVERHEAD_PER_ENTRY;
    for (Part p : parts) {
      total += p.length() + TAR_OVERHEAD_PER_ENTRY;
    }
    return total;
  }

  /**
   * True when every entry has a plain header (a short ASCII name, a size the octal field holds), so
   * the archive's length follows from the files' lengths alone.
   */
  @Override
  public boolean lengthExact() {
    if (!plainEntry(manifestName, manifest.length)) {
      return false;
    }
    for (Part p : parts) {
      if (!plainEntry(p.name(), p.length())) {
        return false;
      }
    }
    return true;
  }

  private boolean plainEntry(String fileName, long size) {
    String name = dirName + "/" + fileName;
    return name.length() < TAR_NAME_LIMIT
        && name.chars().allMatch(c -> c > 0x20 && c < 0x7f)
        && size <= TAR_SIZE_LIMIT;
  }

  private static long entryBytes(long size) {
    return TAR_RECORD + (size + TAR_RECORD - 1) / TAR_RECORD * TAR_RECORD;
  }

  @Override
  public String suffix() {
    return ".tar";
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    // Whole seconds: a time with a fraction would add an extended header to every entry, and the
    // archive's length would no longer follow from the files' sizes alone.
    FileTime now = FileTime.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    for (Part p : parts) {
      TarArchiveEntry entry = new TarArchiveEntry(dirName + "/" + p.name());
      entry.setModTime(now);
      entry.setSize(p.length());
      tar.putArchiveEntry(entry);
      FileCopy.copy(p.file(), 0, p.length(), tar);
      tar.closeArchiveEntry();
    }
    TarArchiveEntry entry = new TarArchiveEntry(dirName + "/" + manifestName);
    entry.setModTime(now);
    entry.setSize(manifest.length);
    tar.putArchiveEntry(entry);
    tar.write(manifest);
    tar.closeArchiveEntry();
    tar.finish();
  }

  @Override
  public void close() throws IOException {
    closeAll(parts);
  }

  private static void closeAll(List<Part> parts) {
    for (Part p : parts) {
      try {
        p.file().close();
      } catch (IOException ignored) {
        // Read-only handles: nothing to lose.
      }
    }
  }

  /** The tar writer must not close the upload: only completing it does. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
