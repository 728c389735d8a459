/**
 * The kubectl plugin ({@code kubectl redis}, the jar's {@code plugin} role): day-2 requests written
 * as annotations and RedisBackups, a status report, redis-cli through an authenticating proxy, and
 * bug-report bundles. Depends on {@code protocol} and the fabric8 client only, never on the
 * controller or the agent.
 */
package io.redisoperator.plugin;
