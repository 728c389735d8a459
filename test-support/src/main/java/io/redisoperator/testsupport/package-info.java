/**
 * Test fixtures more than one module's tests use; a test-scoped dependency only, never of
 * production code. Depends on nothing of ours.
 */
package io.redisoperator.testsupport;
