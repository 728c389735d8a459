package io.redisoperator.protocol.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AclRuleSyntaxTest {
  private static final Pattern RULES = Pattern.compile(AclRuleSyntax.RULES_PATTERN);

  @Test
  void keyChannelCommandRulesAndOnOffAreAllowed() {
    for (String rule :
        List.of(
            "on",
            "off",
            "~app:*",
            "%R~cache:*",
            "%RW~x",
            "&news.*",
            "+@read",
            "-@dangerous",
            "+get",
            "-config|set",
            "+json.get",
            "allkeys",
            "resetchannels",
            "nocommands")) {
      assertTrue(AclRuleSyntax.problem(rule).isEmpty(), rule);
    }
    assertTrue(RULES.matcher(" ~app:*  +@read -@dangerous ").matches());
    assertTrue(RULES.matcher("").matches());
    assertEquals(List.of("~app:*", "+@read"), AclRuleSyntax.split(" ~app:*  +@read "));
  }

  @Test
  void passwordsResetAndSelectorsAreRefusedWithoutRepeatingThePassword() {
    for (String rule :
        List.of(
            ">secret",
            "<secret",
            "#abc",
            "!abc",
            "nopass",
            "resetpass",
            "reset",
            "(~x +get)",
            "+",
            "~")) {
      assertFalse(AclRuleSyntax.problem(rule).isEmpty(), rule);
      assertFalse(RULES.matcher("~app:* " + rule).matches(), rule);
    }
    assertFalse(
        AclRuleSyntax.problem(">secret").orElseThrow().contains("secret"),
        "the password is not repeated");
  }

  @Test
  void namesAreShortAndPlain() {
    assertTrue(AclRuleSyntax.validName("app-1.reader_x"));
    assertFalse(AclRuleSyntax.validName("-app"));
    assertFalse(AclRuleSyntax.validName("a b"));
    assertFalse(AclRuleSyntax.validName("x".repeat(65)));
  }
}
