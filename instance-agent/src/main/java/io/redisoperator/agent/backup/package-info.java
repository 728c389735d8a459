/**
 * The agent's backups and restores: a consistent snapshot of Redis' files (RDB after BGSAVE, or the
 * AOF directory archived), streamed to an S3-compatible store with bounded memory and hashed on the
 * way, and a restore that verifies and swaps the data directory before Redis starts. Uses the AWS
 * SDK for Java v2 and commons-compress beside the protocol and the agent's own packages.
 */
package io.redisoperator.agent.backup;
