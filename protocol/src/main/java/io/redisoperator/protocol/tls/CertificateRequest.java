package io.redisoperator.protocol.tls;

import java.time.Duration;
import java.util.List;

/**
 * What a certificate is issued for.
 *
 * @param dnsNames subject alternative names of type DNS (what a client verifies a server by)
 * @param ipAddresses subject alternative names of type IP
 */
public record CertificateRequest(
    String commonName,
    List<String> dnsNames,
    List<String> ipAddresses,
    Usage usage,
    Duration validity) {

  /**
   * The extended key usages: a server certificate cannot authenticate a client, and the reverse.
   */
  public enum Usage {
    SERVER,
    CLIENT,
    /** Redis: one certificate both serves and, for replication, connects to the primary. */
    SERVER_AND_CLIENT
  }

  public CertificateRequest {
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
  }

  public static CertificateRequest client(String commonName, Duration validity) {
    return new CertificateRequest(commonName, List.of(), List.of(), Usage.CLIENT, validity);
  }

  public static CertificateRequest server(
      String commonName, List<String> dnsNames, Duration validity) {
    return new CertificateRequest(commonName, dnsNames, List.of(), Usage.SERVER, validity);
  }
}
