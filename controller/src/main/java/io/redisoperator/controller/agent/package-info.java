/**
 * The controller's client of the instance agents' HTTP API ({@code /v1/status}, {@code
 * /v1/promote}, ...). Depends on protocol's agent contract only.
 */
package io.redisoperator.controller.agent;
