package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.redisoperator.protocol.acl.AclRuleSyntax;
import java.util.Objects;

/**
 * A Redis ACL user the operator creates on every data pod, with rules and a password from a Secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisUserSpec {
  @Required
  @Size(max = 64)
  @Pattern(AclRuleSyntax.NAME_PATTERN)
  @ValidationRule(
      value =
          "!self.startsWith('" + io.redisoperator.protocol.acl.OperatorUsers.RESERVED_PREFIX + "')",
      message = "names starting with 'redis-operator-' are the operator's own users")
  @JsonPropertyDescription(
      "The Redis user name. 'default' replaces the rules of the default user (whose password is the auth Secret's"
          + " unless passwordSecret is set); names starting with 'redis-operator-' are reserved.")
  private String name;

  @Size(max = AclRuleSyntax.MAX_RULES_LENGTH)
  @Pattern(AclRuleSyntax.RULES_PATTERN)
  @JsonPropertyDescription(
      "ACL rules separated by spaces, e.g. '~app:* +@read +@write -@dangerous': key (~pattern, %R~, %W~, %RW~),"
          + " channel (&pattern) and command (+cmd, -cmd, +@category, -@category) rules, on, off. Passwords are not"
          + " rules: they come from passwordSecret. Applied live; rules Redis refuses are reported and nothing of the"
          + " change is applied.")
  private String rules = "";

  @JsonPropertyDescription(
      "Secret with key 'password'. Required for every user but 'default'. A new password is accepted together with"
          + " the old one until every pod has it, then the old one is removed.")
  private SecretReference passwordSecret;

  public RedisUserSpec() {}

  public RedisUserSpec(String name, String rules, SecretReference passwordSecret) {
    this.name = name;
    this.rules = rules;
    this.passwordSecret = passwordSecret;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getRules() {
    return rules;
  }

  public void setRules(String rules) {
    this.rules = rules;
  }

  public SecretReference getPasswordSecret() {
    return passwordSecret;
  }

  public void setPasswordSecret(SecretReference passwordSecret) {
    this.passwordSecret = passwordSecret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisUserSpec other
        && Objects.equals(name, other.name)
        && Objects.equals(rules, other.rules)
        && Objects.equals(passwordSecret, other.passwordSecret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, rules, passwordSecret);
  }
}
