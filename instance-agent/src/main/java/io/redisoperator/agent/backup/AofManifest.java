package io.redisoperator.agent.backup;

import java.util.ArrayList;
import java.util.List;

/**
 * Pure: the manifest of Redis 7's multi-part AOF ({@code <appendfilename>.manifest} in {@code
 * appenddirname}), one line per file: {@code file <name> seq <n> type <b|h|i>}. A consistent copy
 * of the AOF is its base and incremental files as the manifest lists them; history files are on
 * their way out and are left behind.
 */
public record AofManifest(List<Entry> entries) {
  /** One file of the AOF. */
  public record Entry(String name, long seq, char type) {
    public boolean live() {
      return type == 'b' || type == 'i';
    }

    String line() {
      return "file " + name + " seq " + seq + " type " + type + "\n";
    }
  }

  public AofManifest {
    entries = List.copyOf(entries);
  }

  public static AofManifest parse(String text) throws BackupException {
    List<Entry> entries = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      String name = null;
      Long seq = null;
      Character type = null;
      for (int i = 0; i + 1 < parts.length; i += 2) {
        switch (parts[i]) {
          case "file" -> name = parts[i + 1];
          case "seq" -> seq = parseSeq(parts[i + 1], line);
          case "type" -> type = parts[i + 1].length() == 1 ? parts[i + 1].charAt(0) : null;
          default -> {}
        }
      }
      if (name == null || seq == null || type == null || !ArchiveNames.isSimpleFileName(name)) {
        throw new BackupException("unreadable AOF manifest line: " + line);
      }
      entries.add(new Entry(name, seq, type));
    }
    if (entries.stream().noneMatch(Entry::live)) {
      throw new BackupException("the AOF manifest lists no base or incremental file");
    }
    return new AofManifest(entries);
  }

  private static long parseSeq(String s, String line) throws BackupException {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new BackupException("unreadable AOF manifest line: " + line);
    }
  }

  /** The files a restore needs, in manifest order. */
  public List<Entry> liveFiles() {
    return entries.stream().filter(Entry::live).toList();
  }

  /** The manifest of {@link #liveFiles()} alone, as Redis writes it. */
  public String liveText() {
    StringBuilder text = new StringBuilder();
    liveFiles().forEach(e -> text.append(e.line()));
    return text.toString();
  }

  /**
   * A manifest whose only file is an RDB used as the AOF base: how a restored RDB is loaded with
   * AOF on.
   */
  public static AofManifest rdbBase(String baseName) {
    return new AofManifest(List.of(new Entry(baseName, 1, 'b')));
  }
}
