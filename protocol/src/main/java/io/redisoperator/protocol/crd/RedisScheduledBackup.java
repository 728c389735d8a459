package io.redisoperator.protocol.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Creates a RedisBackup on a cron schedule. */
@Group(RedisCluster.GROUP)
@Version(RedisCluster.VERSION)
@Plural("redisscheduledbackups")
@ShortNames({"rdsbk"})
@AdditionalPrinterColumn(
    name = "Cluster",
    jsonPath = ".spec.cluster.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Schedule",
    jsonPath = ".spec.schedule",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Suspend",
    jsonPath = ".spec.suspend",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Last",
    jsonPath = ".status.lastScheduleTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Next",
    jsonPath = ".status.nextScheduleTime",
    type = AdditionalPrinterColumn.Type.STRING)
public class RedisScheduledBackup
    extends CustomResource<RedisScheduledBackupSpec, RedisScheduledBackupStatus>
    implements Namespaced {
  public static final String KIND = "RedisScheduledBackup";

  @Override
  protected RedisScheduledBackupSpec initSpec() {
    return new RedisScheduledBackupSpec();
  }
}
