package io.redisoperator.controller.reconcile;

import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.validation.FieldError;
import io.redisoperator.protocol.validation.RedisClusterValidator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The spec the operator acts on. A valid spec is taken as it is. An invalid edit is reported and
 * none of it is applied: the cluster keeps being run (failover, fencing, recreation, everything) on
 * {@code status.lastValidSpec}, so a typo never leaves a running cluster unprotected.
 *
 * <p>A cluster that was already running when the operator was upgraded has no {@code lastValidSpec}
 * yet, and its spec may hold a {@code spec.redis} directive that an older operator accepted and the
 * allowlist now refuses. It is run on its spec without the refused directives (the operator's own
 * lines apply instead), so the upgrade does not switch failover off. Only a cluster that never had
 * a valid spec, and was never running, stops.
 *
 * @param cluster the submitted cluster, or a copy of it carrying the spec actually run
 * @param errors what is wrong with the submitted spec, empty when it is valid
 * @param fallback what the operator runs on instead of an invalid submitted spec, {@code null} when
 *     it runs nothing (or the submitted spec is valid)
 */
public record SpecInForce(RedisCluster cluster, List<FieldError> errors, String fallback) {
  private static final String DIRECTIVE_FIELD = "spec.redis.";

  public static SpecInForce of(RedisCluster submitted) {
    List<FieldError> errors = RedisClusterValidator.validate(submitted);
    if (errors.isEmpty()) {
      return new SpecInForce(submitted, List.of(), null);
    }
    RedisClusterSpec lastValid =
        submitted.getStatus() == null ? null : submitted.getStatus().getLastValidSpec();
    if (lastValid != null) {
      return runOn(
          submitted,
          errors,
          copy(lastValid),
          "nothing of this edit is applied; running on the last valid spec");
    }
    if (submitted.getStatus() != null && submitted.getStatus().getCurrentPrimary() != null) {
      return runOn(
          submitted,
          errors,
          withoutRefusedDirectives(submitted.getSpec(), errors),
          "the refused directives are not applied, the operator's own lines are; everything else runs");
    }
    return new SpecInForce(submitted, errors, null);
  }

  private static SpecInForce runOn(
      RedisCluster submitted, List<FieldError> errors, RedisClusterSpec spec, String how) {
    RedisCluster fallback = new RedisCluster();
    fallback.setApiVersion(submitted.getApiVersion());
    fallback.setKind(submitted.getKind());
    fallback.setMetadata(submitted.getMetadata());
    fallback.setSpec(spec);
    fallback.setStatus(submitted.getStatus());
    if (!RedisClusterValidator.validate(fallback).isEmpty()) {
      return new SpecInForce(
          submitted, errors,
          null); // rules tightened since, or not only directives: nothing to run on
    }
    return new SpecInForce(fallback, errors, how);
  }

  /** A copy of {@code spec} without the {@code spec.redis} entries {@code errors} names. */
  private static RedisClusterSpec withoutRefusedDirectives(
      RedisClusterSpec spec, List<FieldError> errors) {
    RedisClusterSpec sanitized = copy(spec);
    if (sanitized.getRedis() != null) {
      TreeMap<String, String> kept = new TreeMap<>(sanitized.getRedis());
      errors.stream()
          .map(FieldError::field)
          .filter(field -> field.startsWith(DIRECTIVE_FIELD))
          .forEach(field -> kept.remove(field.substring(DIRECTIVE_FIELD.length())));
      sanitized.setRedis(kept);
    }
    return sanitized;
  }

  // A copy: the cluster and its status belong to the informer cache and must never be shared with
  // what steps build.
  private static RedisClusterSpec copy(RedisClusterSpec spec) {
    return Json.mapper().convertValue(spec, RedisClusterSpec.class);
  }

  public boolean valid() {
    return errors.isEmpty();
  }

  /**
   * True when {@code cluster} carries a spec other than the submitted, invalid one, and every step
   * runs on it.
   */
  public boolean fallingBack() {
    return fallback != null;
  }

  /**
   * The message of the Ready condition and of the event: every field at fault, and what the
   * operator does.
   */
  public String message() {
    String fields = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    return "invalid spec: " + fields + (fallingBack() ? " (" + fallback + ")" : "");
  }
}
