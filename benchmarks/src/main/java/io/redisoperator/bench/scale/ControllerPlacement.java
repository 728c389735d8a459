package io.redisoperator.bench.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the controller runs: started, and once it answers /readyz pinned to its core with the API
 * server and the fleet on the others. Pinned from its first instruction, its start-up (JIT,
 * informer lists) on a loaded two-core machine overran the informers' sync timeout; its CPU time is
 * measured per process either way.
 */
final class ControllerPlacement {
  /** The controller's core; negative: nothing pinned. */
  private final int controllerCpu;

  ControllerPlacement(int controllerCpu) {
    this.controllerCpu = controllerCpu;
  }

  int controllerCpu() {
    return controllerCpu;
  }

  /** Starts the controller, waits until it is ready (5 min at most), then pins the processes. */
  void start(ScaleEnvironment env) throws Exception {
    env.controller().start();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline && !env.controller().ready()) {
      if (!env.controller().isAlive()) {
        throw new IllegalStateException("the controller exited, see " + env.controller().log());
      }
      Thread.sleep(200);
    }
    if (controllerCpu >= 0) {
      ProcessStats.pin(env.controller().pid().orElseThrow(), Integer.toString(controllerCpu));
      String others = othersCpuList();
      if (!others.isEmpty()) {
        // The API server and the fleet stay off the controller's core, so that core is its own.
        for (long pid : env.apiServerPids()) {
          ProcessStats.pin(pid, others);
        }
        ProcessStats.pin(env.fleet().pid(), others);
      }
    }
  }

  /** The cores other than the controller's, as taskset lists them ("0,2,3"); empty on one core. */
  private String othersCpuList() {
    List<String> others = new ArrayList<>();
    for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors(); cpu++) {
      if (cpu != controllerCpu) {
        others.add(Integer.toString(cpu));
      }
    }
    return String.join(",", others);
  }

  /** How many cores the API server and the fleet were pinned to; 0 when nothing was pinned. */
  int othersCores() {
    return controllerCpu < 0 || othersCpuList().isEmpty() ? 0 : othersCpuList().split(",").length;
  }
}
