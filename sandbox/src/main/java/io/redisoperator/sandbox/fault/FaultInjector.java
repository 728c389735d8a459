package io.redisoperator.sandbox.fault;

import java.util.Optional;
import java.util.Set;

/**
 * The faults a scenario can inject. The scenarios use only this interface, the Kubernetes API and
 * the Services, so the same scenarios can run against another environment that implements it.
 */
public interface FaultInjector {
  /** Deletes a pod with grace period 0: the object is gone at once and its processes are killed. */
  void forceDeletePod(String namespace, String pod);

  /** SIGKILLs the redis-server process inside a pod (the agent stays). */
  void killRedisServer(String namespace, String pod);

  /**
   * SIGKILLs the agent, the data container's main process, and nothing else: what then happens to
   * the redis-server it started is the container runtime's doing (it tears the container down, as
   * it does when a main process exits).
   */
  void killAgent(String namespace, String pod);

  /**
   * Why partitions are impossible here (e.g. no iptables), or empty when {@link #isolate} works.
   */
  Optional<String> partitionUnavailableReason();

  /** Cuts the given links of a pod's current address until the returned partition is healed. */
  Partition isolate(String namespace, String pod, Set<Link> links);

  /** Why the API server cannot be stopped here, or empty when {@link #stopApiServer} works. */
  Optional<String> apiServerOutageUnavailableReason();

  /**
   * Stops the Kubernetes API server: every client (operator, agents, kubelet, controllers) finds it
   * refusing connections until the returned outage is ended, which starts it again and returns once
   * it is ready.
   */
  Outage stopApiServer();

  /** SIGKILLs the operator's controller process. */
  void killController();

  /** Starts the controller again after {@link #killController()}. */
  void startController();

  /** An API server outage in progress. */
  interface Outage extends AutoCloseable {
    void end();

    @Override
    default void close() {
      end();
    }
  }

  /** An active partition. */
  interface Partition extends AutoCloseable {
    void heal();

    @Override
    default void close() {
      heal();
    }
  }
}
