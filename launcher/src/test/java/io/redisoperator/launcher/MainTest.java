package io.redisoperator.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void noRolePrintsUsageAndFails() {
    assertEquals(2, run());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: redis-operator <role>"));
  }

  @Test
  void unknownRoleIsNamedAndFails() {
    assertEquals(2, run("frobnicate"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown role 'frobnicate'"));
  }

  @Test
  void helpSucceeds() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("controller"));
  }

  @Test
  void rolesRejectUnknownOptions() {
    assertEquals(2, run("controller", "--no-such-option"));
    assertEquals(2, run("instance", "--no-such-option"));
  }

  @Test
  void rolesAnswerHelp() {
    assertEquals(0, run("controller", "--help"));
    assertEquals(0, run("instance", "--help"));
  }
}
