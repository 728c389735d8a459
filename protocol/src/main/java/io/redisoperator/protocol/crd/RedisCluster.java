package io.redisoperator.protocol.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Redis deployment (a primary and its replicas) managed by the operator. */
@Group(RedisCluster.GROUP)
@Version(RedisCluster.VERSION)
@Plural("redisclusters")
@ShortNames({"rdc", "redisc"})
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RedisCluster extends CustomResource<RedisClusterSpec, RedisClusterStatus>
    implements Namespaced {
  public static final String GROUP = "redis.io";
  public static final String VERSION = "v1";
  public static final String KIND = "RedisCluster";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  @Override
  protected RedisClusterSpec initSpec() {
    return new RedisClusterSpec();
  }

  @Override
  protected RedisClusterStatus initStatus() {
    return new RedisClusterStatus();
  }
}
