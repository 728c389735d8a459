package io.redisoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunbookCommandsTest {
  @Test
  void commandsOfBashBlocksWithContinuationsHeredocsAndComments() {
    String md =
        String.join(
            "\n",
            "Intro `kubectl not-this`.",
            "```bash",
            "kubectl get rdc cache -w          # until Healthy",
            "# a comment line",
            "kubectl create secret generic x --from-literal=a=b \\",
            "  --dry-run=client -o yaml | kubectl apply -f -",
            "kubectl apply -f - <<'YAML'",
            "kind: X  # kept inside the document",
            "YAML",
            "```",
            "```yaml",
            "not: a command",
            "```");
    assertEquals(
        List.of(
            "kubectl get rdc cache -w",
            "kubectl create secret generic x --from-literal=a=b --dry-run=client -o yaml | kubectl apply -f -",
            "kubectl apply -f - <<'YAML'\nkind: X  # kept inside the document\nYAML"),
        RunbookCommands.of(md));
  }
}
