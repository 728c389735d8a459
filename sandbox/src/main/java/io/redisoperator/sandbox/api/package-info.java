/**
 * The sandbox's API server: the fabric8 CRUD mock with discovery so kubectl works.
 */
package io.redisoperator.sandbox.api;
