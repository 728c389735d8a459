/**
 * Redis ACL users of a cluster, pure: the users it should have (spec.users, the operator's own,
 * default), the password rotation that keeps old and new valid until every pod has the new, and the
 * Secret the pods read them from. {@code reconcile.AclStep} writes them.
 */
package io.redisoperator.controller.acl;
