/**
 * RedisBackup, RedisScheduledBackup and restore bootstrap on the controller's side: one actor per
 * kind decides when (BackupActor, ScheduleActor, BootstrapActor); pure planners decide what (which
 * pod, what a backup needs next, what a schedule runs, which history to prune). The transfers
 * themselves run in the agents; nothing here blocks on one.
 */
package io.redisoperator.controller.backup;
