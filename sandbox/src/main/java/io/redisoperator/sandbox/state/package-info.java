/**
 * The sandbox's state directory and the reaper that removes what a dead sandbox left behind on the
 * machine.
 */
package io.redisoperator.sandbox.state;
