package io.redisoperator.protocol.agent;

import java.util.List;

/** Answer to {@code POST /v1/legacy-users}: the pod that now has the operator's users. */
public record LegacyUsersResult(String pod, List<String> users) {}
