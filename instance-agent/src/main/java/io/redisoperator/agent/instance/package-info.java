/**
 * The data pod's actor that runs one operation at a time (promote, replicate, fence, switchover)
 * and the status board served from memory.
 */
package io.redisoperator.agent.instance;
