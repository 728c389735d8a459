package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Runs httpGet and tcpSocket probes from the node address (so partitions of the controller's
 * address leave the kubelet's probes alone, as on a real node). Exec probes are not supported and
 * count as success, with a warning.
 */
final class Prober {
  private final String nodeAddress;

  Prober(String nodeAddress) {
    this.nodeAddress = nodeAddress;
  }

  boolean probe(Probe probe, Container container, String podIp) {
    int timeoutMillis = 1000 * (probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds());
    if (probe.getHttpGet() != null) {
      var get = probe.getHttpGet();
      String host = get.getHost() == null || get.getHost().isEmpty() ? podIp : get.getHost();
      String path = get.getPath() == null ? "/" : get.getPath();
      return httpGet(host, port(get.getPort(), container), path, timeoutMillis);
    }
    if (probe.getTcpSocket() != null) {
      return tcpConnect(podIp, port(probe.getTcpSocket().getPort(), container), timeoutMillis);
    }
    return true;
  }

  static int port(IntOrString port, Container container) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    if (container.getPorts() != null) {
      for (ContainerPort p : container.getPorts()) {
        if (port.getStrVal().equals(p.getName())) {
          return p.getContainerPort();
        }
      }
    }
    throw new IllegalArgumentException(
        "container " + container.getName() + " has no port named " + port.getStrVal());
  }

  boolean httpGet(String host, int port, String path, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(nodeAddress, 0));
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + ":"
                  + port
                  + "\r\nUser-Agent: kube-probe/1.30\r\nAccept: */*\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String statusLine = readLine(socket.getInputStream());
      String[] parts = statusLine.split(" ");
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        return false;
      }
      int code = Integer.parseInt(parts[1]);
      return code >= 200 && code < 400;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  boolean tcpConnect(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(nodeAddress, 0));
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
      if (line.length() > 1024) {
        break;
      }
    }
    return line.toString();
  }
}
