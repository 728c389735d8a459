package io.redisoperator.agent.http;

import io.redisoperator.agent.backup.BackupRequests;
import io.redisoperator.agent.backup.BackupService;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.BackupRequest;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /v1/backup} starts a backup in the background (202 with its progress; 409 while
 * another runs); {@code GET /v1/backup} is the latest backup's progress (404 when none ran since
 * the agent started).
 */
final class BackupRoutes extends AllDirectives {
  private final BackupService backups;

  BackupRoutes(BackupService backups) {
    this.backups = backups;
  }

  Route route() {
    return concat(
        get(
            () ->
                complete(
                    backups
                        .latest()
                        .map(p -> Responses.json(200, p))
                        .orElseGet(
                            () ->
                                Responses.error(
                                    404,
                                    AgentError.NOT_FOUND,
                                    "no backup since the agent started")))),
        post(
            () ->
                entity(
                    Unmarshaller.entityToString(),
                    body -> {
                      BackupRequest request;
                      try {
                        request = BackupRequests.parse(body);
                      } catch (BackupRequests.Invalid e) {
                        return complete(
                            Responses.error(400, AgentError.BAD_REQUEST, e.getMessage()));
                      }
                      return complete(
                          backups
                              .start(request)
                              .map(
                                  running ->
                                      Responses.error(
                                          409,
                                          AgentError.CONFLICT,
                                          "backup " + running.backupId() + " is still running"))
                              .orElseGet(
                                  () -> Responses.json(202, backups.latest().orElseThrow())));
                    })));
  }
}
