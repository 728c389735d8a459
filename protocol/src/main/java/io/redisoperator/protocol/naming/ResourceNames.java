package io.redisoperator.protocol.naming;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of everything the operator creates for a cluster. Tests find objects with the same
 * functions.
 */
public final class ResourceNames {
  private ResourceNames() {}

  private static final Pattern ORDINAL_SUFFIX = Pattern.compile("^(.+)-(0|[1-9][0-9]*)$");

  public static String podName(String cluster, int ordinal) {
    return cluster + "-" + ordinal;
  }

  /**
   * Sentinel pod {@code <cluster>-sentinel-<n>} (sentinel mode); {@code ordinalOf(cluster, it)} is
   * empty.
   */
  public static String sentinelPodName(String cluster, int n) {
    return cluster + "-sentinel-" + n;
  }

  public static String pvcName(String cluster, int ordinal) {
    return cluster + "-data-" + ordinal;
  }

  public static String leaderService(String cluster) {
    return cluster + "-leader";
  }

  public static String replicaService(String cluster) {
    return cluster + "-replica";
  }

  public static String anyService(String cluster) {
    return cluster + "-any";
  }

  public static String sentinelService(String cluster) {
    return cluster + "-sentinel";
  }

  /** The generated auth Secret, used when spec.authSecret is absent. */
  public static String generatedAuthSecret(String cluster) {
    return cluster + "-auth";
  }

  /**
   * Passwords of the operator's own Redis users (keys agent, replication, sentinel): data pods get
   * the first two, sentinel pods the third.
   */
  public static String operatorAuthSecret(String cluster) {
    return cluster + "-operator-auth";
  }

  /**
   * The Redis users every data pod applies (key users.json: hashes and rules, no password), written
   * by the controller.
   */
  public static String aclSecret(String cluster) {
    return cluster + "-acl";
  }

  /** The Sentinel admin password (mode sentinel), projected into the sentinel pods only. */
  public static String sentinelAuthSecret(String cluster) {
    return cluster + "-sentinel-auth";
  }

  /** The cluster's agent CA (certificate and key): only the controller reads it. */
  public static String agentCaSecret(String cluster) {
    return cluster + "-agent-ca";
  }

  /**
   * A data pod's agent certificate, key and the agent CA certificate, projected into that pod only.
   */
  public static String agentTlsSecret(String podName) {
    return podName + "-agent-tls";
  }

  /** The operator's CA for Redis' own TLS (spec.tls without certificates of the user's). */
  public static String redisCaSecret(String cluster) {
    return cluster + "-redis-ca";
  }

  /**
   * Redis' server certificate the operator issues from {@link #redisCaSecret}, shared by every data
   * pod.
   */
  public static String redisTlsSecret(String cluster) {
    return cluster + "-redis-tls";
  }

  /**
   * What clients need to reach a TLS cluster, unless spec.tls.clientSecret names another Secret.
   */
  public static String tlsClientSecret(String cluster) {
    return cluster + "-tls-client";
  }

  public static String configMap(String cluster) {
    return cluster + "-config";
  }

  /**
   * The restore source of a cluster bootstrapped from a backup; its pods wait for it before they
   * start.
   */
  public static String restoreConfigMap(String cluster) {
    return cluster + "-restore";
  }

  public static String serviceAccount(String cluster) {
    return cluster + "-instance";
  }

  public static String role(String cluster) {
    return cluster + "-instance";
  }

  public static String roleBinding(String cluster) {
    return cluster + "-instance";
  }

  public static String primaryPdb(String cluster) {
    return cluster + "-primary";
  }

  public static String replicaPdb(String cluster) {
    return cluster + "-replica";
  }

  /**
   * The ordinal of {@code <cluster>-<n>}, or empty when the name is not one of this cluster's pods.
   */
  public static OptionalInt ordinalOf(String cluster, String podName) {
    Matcher m = ORDINAL_SUFFIX.matcher(podName);
    if (!m.matches() || !m.group(1).equals(cluster)) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(m.group(2)));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * Longest cluster name whose derived names (e.g. {@code <name>-<n>-agent-tls}, pod names) stay
   * valid DNS labels.
   */
  public static final int MAX_CLUSTER_NAME_LENGTH = 50;
}
