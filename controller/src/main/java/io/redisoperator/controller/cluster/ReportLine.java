package io.redisoperator.controller.cluster;

import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.agent.InstanceStatus;

/** One pod report in a debug line: what the failover's decisions read of it. */
final class ReportLine {
  private ReportLine() {}

  static String of(PodReport report) {
    StringBuilder line =
        new StringBuilder(160)
            .append(report.podName())
            .append(" requested=")
            .append(report.requestedAt())
            .append(" failures=")
            .append(report.consecutiveFailures())
            .append(" unansweredSince=")
            .append(report.unansweredSince());
    InstanceStatus s = report.status();
    if (s != null) {
      line.append(" role=")
          .append(s.role())
          .append(" redisUp=")
          .append(s.redisUp())
          .append(" linkUp=")
          .append(s.masterLinkUp())
          .append(" lastIo=")
          .append(s.masterLastIoSecondsAgo())
          .append(" offset=")
          .append(s.replicationOffset());
    }
    return line.toString();
  }
}
