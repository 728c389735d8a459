package io.redisoperator.agent.config;

import java.util.regex.Pattern;

/**
 * A Redis address (the primary to follow). Hosts are IPs or DNS names only, so nothing can be
 * smuggled into a conf.
 */
public record Endpoint(String host, int port) {
  private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})$");

  public Endpoint {
    if (host == null || !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "host must be an IP address or DNS name, got '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
