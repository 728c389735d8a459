package io.redisoperator.protocol.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A request for one backup of a RedisCluster. */
@Group(RedisCluster.GROUP)
@Version(RedisCluster.VERSION)
@Plural("redisbackups")
@ShortNames({"rdbk"})
@AdditionalPrinterColumn(
    name = "Cluster",
    jsonPath = ".spec.cluster.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Method",
    jsonPath = ".spec.method",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Size",
    jsonPath = ".status.sizeBytes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RedisBackup extends CustomResource<RedisBackupSpec, RedisBackupStatus>
    implements Namespaced {
  public static final String KIND = "RedisBackup";

  @Override
  protected RedisBackupSpec initSpec() {
    return new RedisBackupSpec();
  }
}
