/**
 * Redis ACL users on the data pod: the ACL file on the data volume and the live application of the
 * desired users.
 */
package io.redisoperator.agent.acl;
