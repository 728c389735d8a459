package io.redisoperator.agent.backup;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Pure: which names may appear in a backup archive. An AOF archive holds only {@code <aof
 * dir>/<file>} entries whose parts are plain file names, so extracting one can never write outside
 * its staging directory.
 */
public final class ArchiveNames {
  private static final Pattern SIMPLE = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$");

  private ArchiveNames() {}

  /**
   * A single path component: letters, digits, '.', '_', '-', not starting with '.' ('..' and hidden
   * files out).
   */
  public static boolean isSimpleFileName(String name) {
    return name != null && SIMPLE.matcher(name).matches();
  }

  /**
   * The file name of an entry {@code dir/file} of an archive of {@code dir}; empty when the name is
   * anything else.
   */
  public static Optional<String> fileInDirectory(String entryName, String dir) {
    if (entryName == null || !entryName.startsWith(dir + "/")) {
      return Optional.empty();
    }
    String file = entryName.substring(dir.length() + 1);
    return isSimpleFileName(file) ? Optional.of(file) : Optional.empty();
  }
}
