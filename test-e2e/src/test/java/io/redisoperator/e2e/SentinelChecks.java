package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ListOfMapsOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.RedisCluster;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What every sentinel reports, asked directly on its pod, against the record in the RedisCluster:
 * each returns what is wrong (empty: holds).
 */
final class SentinelChecks {
  static final int SENTINELS = 3;

  private SentinelChecks() {}

  /**
   * Every sentinel pod (three of them) answers with the address of {@code status.currentPrimary}.
   */
  static List<String> reportRecordedPrimary(RedisClusterFixture cluster, SentinelAccess access) {
    return reportRecordedPrimary(cluster, access, false);
  }

  /**
   * Every Ready sentinel pod, and at least a majority of them, answers with the address of {@code
   * status.currentPrimary}: what clients asking through the Service get while a sentinel pod is
   * being replaced (a rolling update replaces them too). A sentinel only becomes Ready once it
   * reports the record.
   */
  static List<String> readySentinelsReportRecordedPrimary(
      RedisClusterFixture cluster, SentinelAccess access) {
    return reportRecordedPrimary(cluster, access, true);
  }

  private static List<String> reportRecordedPrimary(
      RedisClusterFixture cluster, SentinelAccess access, boolean readyOnly) {
    List<String> problems = new ArrayList<>();
    String expected = recordedPrimaryAddress(cluster, problems);
    if (expected == null) {
      return problems;
    }
    Map<String, Pod> sentinels = access.sentinelPods();
    if (readyOnly) {
      sentinels.values().removeIf(p -> !PodReadiness.isReady(p));
    }
    if (readyOnly ? sentinels.size() < SENTINELS / 2 + 1 : sentinels.size() != SENTINELS) {
      problems.add((readyOnly ? "ready " : "") + "sentinel pods: " + sentinels.keySet());
    }
    for (Pod pod : sentinels.values()) {
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      if (ip == null) {
        problems.add(pod.getMetadata().getName() + " has no IP");
        continue;
      }
      try (StatefulRedisSentinelConnection<String, String> c = access.connectToSentinel(ip)) {
        String reported = address(c.sync().getMasterAddrByName(access.masterName()));
        if (!expected.equals(reported)) {
          problems.add(
              pod.getMetadata().getName() + " reports " + reported + ", the record is " + expected);
        }
      } catch (RuntimeException e) {
        problems.add(pod.getMetadata().getName() + ": " + e.getMessage());
      }
    }
    return problems;
  }

  /**
   * The full picture: three Ready sentinel pods, each reporting the recorded primary, knowing
   * exactly the other data pods as replicas and the other sentinel pods as sentinels: no address of
   * a pod that is gone, none missing.
   */
  static List<String> consistent(RedisClusterFixture cluster, SentinelAccess access) {
    List<String> problems = new ArrayList<>(reportRecordedPrimary(cluster, access));
    if (!problems.isEmpty()) {
      return problems;
    }
    String primary = cluster.get().getStatus().getCurrentPrimary();
    Set<String> replicaIps =
        cluster.pods().entrySet().stream()
            .filter(e -> !e.getKey().equals(primary))
            .map(e -> e.getValue().getStatus().getPodIP())
            .collect(Collectors.toCollection(TreeSet::new));
    Map<String, Pod> sentinels = access.sentinelPods();
    Set<String> sentinelIps =
        sentinels.values().stream()
            .map(p -> p.getStatus().getPodIP())
            .collect(Collectors.toCollection(TreeSet::new));
    for (Pod pod : sentinels.values()) {
      String name = pod.getMetadata().getName();
      if (!PodReadiness.isReady(pod)) {
        problems.add(name + " not ready");
      }
      String ip = pod.getStatus().getPodIP();
      try (StatefulRedisSentinelConnection<String, String> c = access.connectToSentinel(ip)) {
        RedisSentinelCommands<String, String> s = c.sync();
        Set<String> knownReplicas = ips(s.replicas(access.masterName()));
        if (!knownReplicas.equals(replicaIps)) {
          problems.add(
              name
                  + " knows replicas "
                  + knownReplicas
                  + ", the replica pods are at "
                  + replicaIps);
        }
        Set<String> otherSentinels = new TreeSet<>(sentinelIps);
        otherSentinels.remove(ip);
        Set<String> knownSentinels = ips(sentinels(s, access.masterName()));
        if (!knownSentinels.equals(otherSentinels)) {
          problems.add(
              name
                  + " knows sentinels "
                  + knownSentinels
                  + ", the other sentinel pods are at "
                  + otherSentinels);
        }
      } catch (RuntimeException e) {
        problems.add(name + ": " + e.getMessage());
      }
    }
    return problems;
  }

  /**
   * No sentinel takes an unauthenticated {@code SENTINEL SET} (any pod could reach it): each
   * answers NOPERM, as the Sentinel ACL gives the default user discovery only. The value set is the
   * one the agents configure, so a sentinel that wrongly accepted it is left as it was.
   */
  static List<String> refuseUnauthenticatedChanges(SentinelAccess access) {
    List<String> problems = new ArrayList<>();
    for (Pod pod : access.sentinelPods().values()) {
      String name = pod.getMetadata().getName();
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      if (ip == null) {
        problems.add(name + " has no IP");
        continue;
      }
      try (StatefulRedisSentinelConnection<String, String> c = access.connectToSentinel(ip)) {
        String answer;
        try {
          answer =
              "accepted: "
                  + c.sync()
                      .set(access.masterName(), "quorum", Integer.toString(SENTINELS / 2 + 1));
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
          answer = e.getMessage();
        }
        if (answer == null || !answer.startsWith("NOPERM")) {
          problems.add(name + ": an unauthenticated SENTINEL SET was not refused (" + answer + ")");
        }
      } catch (RuntimeException e) {
        problems.add(name + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private static String recordedPrimaryAddress(RedisClusterFixture cluster, List<String> problems) {
    RedisCluster c = cluster.get();
    String primary = c.getStatus() == null ? null : c.getStatus().getCurrentPrimary();
    String ip = primary == null ? null : cluster.podIp(primary);
    if (ip == null) {
      problems.add("no recorded primary with an IP (" + primary + ")");
      return null;
    }
    return ip + ":" + AgentApi.REDIS_PORT;
  }

  private static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getHostString() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  private static Set<String> ips(List<Map<String, String>> entries) {
    return entries.stream().map(e -> e.get("ip")).collect(Collectors.toCollection(TreeSet::new));
  }

  /** {@code SENTINEL SENTINELS <master>}: Lettuce has no typed call for it. */
  private static List<Map<String, String>> sentinels(
      RedisSentinelCommands<String, String> s, String master) {
    return s.dispatch(
        CommandType.SENTINEL,
        new ListOfMapsOutput<>(StringCodec.UTF8),
        new CommandArgs<>(StringCodec.UTF8).add("SENTINELS").add(master));
  }
}
