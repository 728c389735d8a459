package io.redisoperator.controller.reconcile;

import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.validation.FieldError;
import io.redisoperator.protocol.validation.RedisClusterValidator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The spec the operator acts on. A valid spec is taken as it is. An invalid edit is reported and none of it is
 * applied: the cluster keeps being run (failover, fencing, recreation, everything) on {@code status.lastValidSpec},
 * so a typo never leaves a running cluster unprotected. Only a cluster that never had a valid spec stops.
 *
 * @param cluster the submitted cluster, or a copy of it carrying the last valid spec
 * @param errors what is wrong with the submitted spec, empty when it is valid
 * @param fallingBack true when {@code cluster} carries the last valid spec instead of the submitted one
 */
public record SpecInForce(RedisCluster cluster, List<FieldError> errors, boolean fallingBack) {

  public static SpecInForce of(RedisCluster submitted) {
    List<FieldError> errors = RedisClusterValidator.validate(submitted);
    if (errors.isEmpty()) {
      return new SpecInForce(submitted, List.of(), false);
    }
    RedisClusterSpec lastValid = submitted.getStatus() == null ? null : submitted.getStatus().getLastValidSpec();
    if (lastValid == null) {
      return new SpecInForce(submitted, errors, false);
    }
    RedisCluster fallback = new RedisCluster();
    fallback.setApiVersion(submitted.getApiVersion());
    fallback.setKind(submitted.getKind());
    fallback.setMetadata(submitted.getMetadata());
    // A copy: the status object belongs to the informer cache and must never be shared with what steps build.
    fallback.setSpec(Json.mapper().convertValue(lastValid, RedisClusterSpec.class));
    fallback.setStatus(submitted.getStatus());
    if (!RedisClusterValidator.validate(fallback).isEmpty()) {
      return new SpecInForce(submitted, errors, false); // rules tightened since it was recorded: nothing to run on
    }
    return new SpecInForce(fallback, errors, true);
  }

  public boolean valid() {
    return errors.isEmpty();
  }

  /** The message of the Ready condition and of the event: every field at fault, and what the operator does. */
  public String message() {
    String fields = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    return "invalid spec: " + fields + (fallingBack ? " (nothing of this edit is applied; running on the last valid spec)" : "");
  }
}
