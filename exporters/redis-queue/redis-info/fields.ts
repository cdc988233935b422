/**
 * Plain INFO fields and the catalog family each becomes: redis_exporter 1.45's metricMapGauges
 * and metricMapCounters, restricted to the fields Redis 6 and 7 report. A field Redis does not
 * report (aof_current_size with AOF off, slave_priority on a primary) leaves its family empty.
 */
import { type AnyMetric, metrics as m } from 'voting-mixin/config';

export interface InfoField {
  readonly field: string;
  readonly metric: AnyMetric;
  /** Divisor to the family's unit (latest_fork_usec is in µs, the family in seconds). */
  readonly divisor: number;
}

const FIELDS: ReadonlyArray<readonly [string, AnyMetric, number?]> = [
  // Server
  ['uptime_in_seconds', m.redisUptimeInSeconds],
  ['process_id', m.redisProcessId],
  // Clients
  ['connected_clients', m.redisConnectedClients],
  ['blocked_clients', m.redisBlockedClients],
  ['tracking_clients', m.redisTrackingClients],
  ['clients_in_timeout_table', m.redisClientsInTimeoutTable],
  ['client_recent_max_input_buffer', m.redisClientRecentMaxInputBufferBytes],
  ['client_recent_max_output_buffer', m.redisClientRecentMaxOutputBufferBytes],
  ['cluster_connections', m.redisClusterConnections],
  // Memory
  ['used_memory', m.redisMemoryUsedBytes],
  ['used_memory_rss', m.redisMemoryUsedRssBytes],
  ['used_memory_peak', m.redisMemoryUsedPeakBytes],
  ['used_memory_lua', m.redisMemoryUsedLuaBytes],
  ['used_memory_overhead', m.redisMemoryUsedOverheadBytes],
  ['used_memory_startup', m.redisMemoryUsedStartupBytes],
  ['used_memory_dataset', m.redisMemoryUsedDatasetBytes],
  ['used_memory_scripts', m.redisMemoryUsedScriptsBytes],
  ['maxmemory', m.redisMemoryMaxBytes],
  ['mem_fragmentation_ratio', m.redisMemFragmentationRatio],
  ['mem_fragmentation_bytes', m.redisMemFragmentationBytes],
  ['mem_clients_slaves', m.redisMemClientsSlaves],
  ['mem_clients_normal', m.redisMemClientsNormal],
  ['mem_not_counted_for_evict', m.redisMemNotCountedForEvictionBytes],
  ['allocator_allocated', m.redisAllocatorAllocatedBytes],
  ['allocator_active', m.redisAllocatorActiveBytes],
  ['allocator_resident', m.redisAllocatorResidentBytes],
  ['allocator_frag_ratio', m.redisAllocatorFragRatio],
  ['allocator_frag_bytes', m.redisAllocatorFragBytes],
  ['allocator_rss_ratio', m.redisAllocatorRssRatio],
  ['allocator_rss_bytes', m.redisAllocatorRssBytes],
  ['lazyfree_pending_objects', m.redisLazyfreePendingObjects],
  ['number_of_cached_scripts', m.redisNumberOfCachedScripts],
  ['active_defrag_running', m.redisActiveDefragRunning],
  // Persistence
  ['loading', m.redisLoadingDumpFile],
  ['rdb_changes_since_last_save', m.redisRdbChangesSinceLastSave],
  ['rdb_bgsave_in_progress', m.redisRdbBgsaveInProgress],
  ['rdb_last_save_time', m.redisRdbLastSaveTimestampSeconds],
  ['rdb_last_bgsave_status', m.redisRdbLastBgsaveStatus],
  ['rdb_last_bgsave_time_sec', m.redisRdbLastBgsaveDurationSec],
  ['rdb_current_bgsave_time_sec', m.redisRdbCurrentBgsaveDurationSec],
  ['rdb_last_cow_size', m.redisRdbLastCowSizeBytes],
  ['aof_enabled', m.redisAofEnabled],
  ['aof_rewrite_in_progress', m.redisAofRewriteInProgress],
  ['aof_rewrite_scheduled', m.redisAofRewriteScheduled],
  ['aof_last_rewrite_time_sec', m.redisAofLastRewriteDurationSec],
  ['aof_current_rewrite_time_sec', m.redisAofCurrentRewriteDurationSec],
  ['aof_last_cow_size', m.redisAofLastCowSizeBytes],
  ['aof_last_bgrewrite_status', m.redisAofLastBgrewriteStatus],
  ['aof_last_write_status', m.redisAofLastWriteStatus],
  ['aof_current_size', m.redisAofCurrentSizeBytes],
  ['aof_base_size', m.redisAofBaseSizeBytes],
  ['aof_pending_rewrite', m.redisAofPendingRewrite],
  ['aof_buffer_length', m.redisAofBufferLength],
  ['aof_rewrite_buffer_length', m.redisAofRewriteBufferLength],
  ['aof_pending_bio_fsync', m.redisAofPendingBioFsync],
  ['aof_delayed_fsync', m.redisAofDelayedFsync],
  ['module_fork_in_progress', m.redisModuleForkInProgress],
  ['module_fork_last_cow_size', m.redisModuleForkLastCowSize],
  // Stats
  ['total_connections_received', m.redisConnectionsReceivedTotal],
  ['total_commands_processed', m.redisCommandsProcessedTotal],
  ['rejected_connections', m.redisRejectedConnectionsTotal],
  ['total_net_input_bytes', m.redisNetInputBytesTotal],
  ['total_net_output_bytes', m.redisNetOutputBytesTotal],
  ['expired_keys', m.redisExpiredKeysTotal],
  ['expired_stale_perc', m.redisExpiredStalePercentage],
  ['expired_time_cap_reached_count', m.redisExpiredTimeCapReachedTotal],
  ['evicted_keys', m.redisEvictedKeysTotal],
  ['keyspace_hits', m.redisKeyspaceHitsTotal],
  ['keyspace_misses', m.redisKeyspaceMissesTotal],
  ['pubsub_channels', m.redisPubsubChannels],
  ['pubsub_patterns', m.redisPubsubPatterns],
  ['latest_fork_usec', m.redisLatestForkSeconds, 1e6],
  ['migrate_cached_sockets', m.redisMigrateCachedSocketsTotal],
  ['active_defrag_hits', m.redisDefragHits],
  ['active_defrag_misses', m.redisDefragMisses],
  ['active_defrag_key_hits', m.redisDefragKeyHits],
  ['active_defrag_key_misses', m.redisDefragKeyMisses],
  ['tracking_total_keys', m.redisTrackingTotalKeys],
  ['tracking_total_items', m.redisTrackingTotalItems],
  ['tracking_total_prefixes', m.redisTrackingTotalPrefixes],
  ['unexpected_error_replies', m.redisUnexpectedErrorReplies],
  ['total_error_replies', m.redisTotalErrorReplies],
  ['dump_payload_sanitizations', m.redisDumpPayloadSanitizations],
  ['total_reads_processed', m.redisTotalReadsProcessed],
  ['total_writes_processed', m.redisTotalWritesProcessed],
  ['io_threads_active', m.redisIoThreadsActive],
  ['io_threaded_reads_processed', m.redisIoThreadedReadsProcessed],
  ['io_threaded_writes_processed', m.redisIoThreadedWritesProcessed],
  // Replication (the per-replica and replica-side fields: replication.ts)
  ['connected_slaves', m.redisConnectedSlaves],
  ['master_repl_offset', m.redisMasterReplOffset],
  ['second_repl_offset', m.redisSecondReplOffset],
  ['repl_backlog_active', m.redisReplBacklogIsActive],
  ['repl_backlog_size', m.redisReplicationBacklogBytes],
  ['repl_backlog_first_byte_offset', m.redisReplBacklogFirstByteOffset],
  ['repl_backlog_histlen', m.redisReplBacklogHistoryBytes],
  ['slave_expires_tracked_keys', m.redisSlaveExpiresTrackedKeys],
  ['slave_priority', m.redisSlavePriority],
  ['sync_full', m.redisReplicaResyncsFull],
  ['sync_partial_ok', m.redisReplicaPartialResyncAccepted],
  ['sync_partial_err', m.redisReplicaPartialResyncDenied],
  // CPU
  ['used_cpu_sys', m.redisCpuSysSecondsTotal],
  ['used_cpu_user', m.redisCpuUserSecondsTotal],
  ['used_cpu_sys_children', m.redisCpuSysChildrenSecondsTotal],
  ['used_cpu_user_children', m.redisCpuUserChildrenSecondsTotal],
  ['used_cpu_sys_main_thread', m.redisCpuSysMainThreadSecondsTotal],
  ['used_cpu_user_main_thread', m.redisCpuUserMainThreadSecondsTotal],
  // Cluster
  ['cluster_enabled', m.redisClusterEnabled],
];

export const INFO_FIELDS: readonly InfoField[] = FIELDS.map(([field, metric, divisor]) => ({
  field,
  metric,
  divisor: divisor ?? 1,
}));

/**
 * An INFO value as redis_exporter reads it: a number, or ok/true 1 and err/fail/false 0
 * (rdb_last_bgsave_status:ok); anything else is no value.
 */
export function infoNumber(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  switch (text) {
    case 'ok':
    case 'true':
      return 1;
    case 'err':
    case 'fail':
    case 'false':
      return 0;
  }
  const v = Number(text);
  return Number.isNaN(v) ? undefined : v;
}
