/**
 * The fabric8 CRUD mock API server with discovery so kubectl works (chosen explicitly), and the
 * installation of the operator's CRDs on either API server.
 */
package io.redisoperator.sandbox.api;
