/**
 * One actor per data pod: polls its agent's status, never overlapping, and classifies failures
 * (refused, timed out).
 */
package io.redisoperator.controller.pod;
