package io.redisoperator.controller.support;

import io.redisoperator.protocol.crd.InstanceRole;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * All fake agents of a test, by IP; hands out loopback addresses in the controller tests' range
 * 127.0.20-29.x.
 */
public final class FakeFleet implements AutoCloseable {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private final Map<String, FakeAgent> byIp = new ConcurrentHashMap<>();
  private final Map<String, FakeAgent> byPod = new ConcurrentHashMap<>();

  /** Every authenticated request any agent received, in order: "pod METHOD path". */
  public final java.util.Queue<String> journal = new java.util.concurrent.ConcurrentLinkedQueue<>();

  public static String nextIp() {
    int n = NEXT.getAndIncrement() % (10 * 254);
    return "127.0." + (20 + n / 254) + "." + (1 + n % 254);
  }

  public FakeAgent start(
      String pod, String ip, SSLContext tls, InstanceRole role, String masterHost)
      throws IOException {
    FakeAgent agent = new FakeAgent(pod, ip, tls, this, role, masterHost);
    byIp.put(ip, agent);
    FakeAgent previous = byPod.put(pod, agent);
    if (previous != null) {
      stop(previous);
    }
    return agent;
  }

  public FakeAgent byIp(String ip) {
    return ip == null ? null : byIp.get(ip);
  }

  public FakeAgent pod(String pod) {
    return byPod.get(pod);
  }

  public void stop(FakeAgent agent) {
    agent.close();
    byIp.remove(agent.ip(), agent);
    byPod.remove(agent.podName(), agent);
  }

  @Override
  public void close() {
    byIp.values().forEach(FakeAgent::close);
    byIp.clear();
    byPod.clear();
  }
}
