package io.redisoperator.e2e;

import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Annotations;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart ({@code kubectl redis restart}, which sets {@code redis.io/restartedAt} exactly
 * like this) under write load: the spec is unchanged, yet every pod is replaced in the safe order
 * and without loss.
 */
@Tag("ci")
class RollingRestartIT extends RollingReplacementIT {
  @Override
  String scenario() {
    return "rolling-restart-under-load";
  }

  @Test
  void restartRequestReplacesEveryPodReplicasFirstWithoutLoss() {
    replacedReplicasFirstThenSwitchoverThenOldPrimary(
        () ->
            cluster
                .client()
                .resources(RedisCluster.class)
                .inNamespace(NAMESPACE)
                .withName(CLUSTER)
                .edit(
                    c -> {
                      Map<String, String> annotations =
                          c.getMetadata().getAnnotations() == null
                              ? new HashMap<>()
                              : new HashMap<>(c.getMetadata().getAnnotations());
                      annotations.put(Annotations.RESTARTED_AT, Instant.now().toString());
                      c.getMetadata().setAnnotations(annotations);
                      return c;
                    }));
  }
}
