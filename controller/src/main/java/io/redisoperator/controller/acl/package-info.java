/**
 * Redis ACL users of a cluster: the users it should have (spec.users, the operator's own, default), the password
 * rotation that keeps old and new valid until every pod has the new, and the reconcile step writing them for the pods.
 */
package io.redisoperator.controller.acl;
