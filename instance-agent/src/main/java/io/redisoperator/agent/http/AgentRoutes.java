package io.redisoperator.agent.http;

import io.redisoperator.agent.acl.LegacyPeerUsers;
import io.redisoperator.agent.backup.BackupService;
import io.redisoperator.agent.instance.InstanceActor;
import io.redisoperator.agent.instance.InstanceCommand;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.metrics.AgentMetrics;
import io.redisoperator.protocol.agent.AgentApi;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The agent's HTTP API ({@link AgentApi}), assembled from its endpoint groups: {@link #api()} for
 * the API port, where the TLS handshake already admitted only the controller ({@link
 * AgentServerTls}, {@link ControllerGate}), and {@link #probes()} for the plain probe port. Status
 * ({@link StatusRoute}) is served from memory, refreshed first when asked for at once; operations
 * ({@link OperationRoutes}) go to {@link InstanceActor} with a deadline; backups ({@link
 * BackupRoutes}) run in the background.
 */
public final class AgentRoutes extends AllDirectives {

  /**
   * @param readyMaxReplicaLagSeconds a replica whose primary was last heard longer ago than this is
   *     not ready
   */
  public record Settings(
      String podIp,
      int redisPort,
      Duration operationTimeout,
      long readyMaxReplicaLagSeconds,
      String cluster) {}

  private final RequestEnvelope envelope;
  private final ControllerGate gate;
  private final StatusRoute status;
  private final OperationRoutes operations;
  private final BackupRoutes backups;
  private final ProbeRoutes probes;

  public AgentRoutes(
      ActorSystem<?> system,
      ActorRef<InstanceCommand> instance,
      StatusBoard board,
      Supplier<CompletionStage<Void>> refreshInfo,
      BackupService backups,
      AgentMetrics metrics,
      Settings settings,
      ReplicationSources sources,
      LegacyPeerUsers legacyPeers) {
    this.envelope = new RequestEnvelope(metrics);
    this.gate = new ControllerGate(board);
    this.status = new StatusRoute(board, refreshInfo);
    this.operations =
        new OperationRoutes(
            new InstanceGateway(system, instance, board, settings.operationTimeout()),
            new OperationRoutes.Self(settings.podIp(), settings.redisPort(), settings.cluster()),
            sources,
            legacyPeers);
    this.backups = new BackupRoutes(backups);
    this.probes = new ProbeRoutes(board, metrics, settings.readyMaxReplicaLagSeconds());
  }

  /** The API port: {@code /v1}, every request the controller's. */
  public Route api() {
    return envelope.around(
        pathPrefix(
            "v1",
            () ->
                gate.admit(
                    () ->
                        concat(
                            path("status", () -> get(status::route)),
                            path("backup", backups::route),
                            operations.route()))));
  }

  /** The probe port: {@code /healthz}, {@code /readyz}, {@code /metrics}. */
  public Route probes() {
    return envelope.around(probes.route());
  }
}
