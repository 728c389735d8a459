/**
 * Redis ACL users shared by controller and agent: the operator's own least-privilege users, the
 * syntax a declared user's rules may use, and the desired user list the controller hands to the
 * agents.
 */
package io.redisoperator.protocol.acl;
