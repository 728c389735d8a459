package io.redisoperator.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands of a runbook: the lines of its {@code ```bash} blocks, one command per entry, with
 * backslash continuations joined, a here-document kept with its command, comment lines dropped and
 * trailing comments (whitespace, then {@code #}) cut.
 */
final class RunbookCommands {
  private RunbookCommands() {}

  static List<String> of(String markdown) {
    List<String> commands = new ArrayList<>();
    boolean inBash = false;
    StringBuilder current = null;
    String heredocEnd = null;
    for (String line : markdown.split("\n", -1)) {
      if (!inBash) {
        inBash = line.strip().equals("```bash");
        continue;
      }
      if (heredocEnd == null && line.strip().equals("```")) {
        inBash = false;
        continue;
      }
      if (heredocEnd != null) {
        current.append('\n').append(line);
        if (line.strip().equals(heredocEnd)) {
          commands.add(current.toString());
          current = null;
          heredocEnd = null;
        }
        continue;
      }
      String code = line.replaceFirst("\\s+#.*$", "");
      if (code.isBlank() || code.strip().startsWith("#")) {
        continue;
      }
      boolean continues = code.endsWith("\\");
      String text = continues ? code.substring(0, code.length() - 1) : code;
      current =
          current == null
              ? new StringBuilder(text.strip())
              : current.append(' ').append(text.strip());
      java.util.regex.Matcher heredoc =
          java.util.regex.Pattern.compile("<<-?'?([A-Z]+)'?").matcher(text);
      if (heredoc.find()) {
        heredocEnd = heredoc.group(1);
        continue;
      }
      if (!continues) {
        commands.add(current.toString());
        current = null;
      }
    }
    return commands;
  }
}
