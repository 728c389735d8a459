package io.redisoperator.protocol.acl;

/**
 * What an agent reports of its ACL users.
 *
 * @param appliedGeneration the {@link AclUsers#generation()} Redis has (and its ACL file holds), -1
 *     before the first
 * @param rejected why the newest generation was refused (Redis' words, naming the user), null when
 *     it was not; nothing of a refused generation is applied
 */
public record AclStatus(long appliedGeneration, String rejected) {}
