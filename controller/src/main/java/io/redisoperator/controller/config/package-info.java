/** The controller's settings, parsed once from the command line. */
package io.redisoperator.controller.config;
