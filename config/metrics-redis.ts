/**
 * Redis health, under the names, types, labels and units oliver006/redis_exporter 1.45 exposes by
 * default for a single (non-cluster) Redis, so dashboards and alerts written for it keep working
 * against the queue exporter. Part of the metric catalog: spread into `metrics` (config/metrics.ts).
 *
 * The names are redis_exporter's even where they break Prometheus conventions (a counter without
 * `_total`, a gauge with it, `_usec` and `_sec` units): renaming would blank the panels this
 * compatibility exists for. `REDIS_EXPORTER_NAMES` lists them so the naming test can tell them apart.
 *
 * Each entry says in its help where the value comes from (INFO field, command). The queue
 * exporter reads them in exporters/redis-queue/redis-info/.
 */
import { type CatalogMetric, def, type Unit } from './metric-def.js';

interface Extra<L extends string> {
  readonly labels?: readonly L[];
  readonly onlyWhen?: string;
}

/** A gauge the queue exporter writes. */
function g<const N extends string, const L extends string = never>(
  name: N,
  help: string,
  unit: Unit,
  extra: Extra<L> = {},
): CatalogMetric<N, 'gauge', L> {
  return def({ name, type: 'gauge', help, unit, labels: extra.labels ?? [], sources: ['exporter'], ...when(extra) });
}

/** A counter the queue exporter writes (a total Redis keeps, copied as is). */
function c<const N extends string, const L extends string = never>(
  name: N,
  help: string,
  unit: Unit,
  extra: Extra<L> = {},
): CatalogMetric<N, 'counter', L> {
  return def({ name, type: 'counter', help, unit, labels: extra.labels ?? [], sources: ['exporter'], ...when(extra) });
}

function when(extra: Extra<string>): { onlyWhen?: string } {
  return extra.onlyWhen ? { onlyWhen: extra.onlyWhen } : {};
}

const REPLICA = 'Redis is a replica';
const HAS_REPLICAS = 'Redis is a primary with replicas connected';
const AOF = 'append-only persistence (appendonly yes) is on';
const BEFORE_7 = 'Redis is older than 7.0';
const KEYS = 'a database holds keys';

const SLAVE = ['slave_ip', 'slave_port', 'slave_state'] as const;
const MASTER = ['master_host', 'master_port'] as const;

export const redisExporterMetrics = {
  // ---- Server --------------------------------------------------------------------------------
  redisUptimeInSeconds: g(
    'redis_uptime_in_seconds',
    'Seconds since the Redis server started (INFO uptime_in_seconds).',
    's',
  ),
  redisStartTimeSeconds: g(
    'redis_start_time_seconds',
    'Unix time the Redis server started: scrape time minus INFO uptime_in_seconds.',
    'dateTimeAsIso',
  ),
  redisProcessId: g('redis_process_id', 'PID of the Redis server (INFO process_id).', 'none'),
  redisInstanceInfo: def({
    name: 'redis_instance_info',
    type: 'info',
    help: 'Always 1; labels carry the Redis version, build, mode, OS, eviction policy, port, run id and PID (INFO server).',
    labels: [
      'role',
      'redis_version',
      'redis_build_id',
      'redis_mode',
      'os',
      'maxmemory_policy',
      'tcp_port',
      'run_id',
      'process_id',
    ],
    unit: 'none',
    sources: ['exporter'],
  }),

  // ---- Clients -------------------------------------------------------------------------------
  redisConnectedClients: g(
    'redis_connected_clients',
    'Client connections, replicas excluded (INFO connected_clients).',
    'short',
  ),
  redisBlockedClients: g(
    'redis_blocked_clients',
    'Clients blocked in BLPOP, BLMOVE, XREAD and the like; idle workers show up here (INFO blocked_clients).',
    'short',
  ),
  redisTrackingClients: g(
    'redis_tracking_clients',
    'Clients with client-side caching tracking on (INFO tracking_clients).',
    'short',
  ),
  redisClientsInTimeoutTable: g(
    'redis_clients_in_timeout_table',
    'Blocked clients with a timeout (INFO clients_in_timeout_table).',
    'short',
  ),
  redisClientRecentMaxInputBufferBytes: g(
    'redis_client_recent_max_input_buffer_bytes',
    'Largest client input buffer of the last seconds (INFO client_recent_max_input_buffer).',
    'bytes',
  ),
  redisClientRecentMaxOutputBufferBytes: g(
    'redis_client_recent_max_output_buffer_bytes',
    'Largest client output buffer of the last seconds (INFO client_recent_max_output_buffer).',
    'bytes',
  ),
  redisConfigMaxclients: g('redis_config_maxclients', 'Configured maxclients (CONFIG GET maxclients).', 'short'),
  redisClusterConnections: g(
    'redis_cluster_connections',
    'Cluster bus connections; 0 outside Redis Cluster (INFO cluster_connections).',
    'short',
  ),
  redisClusterEnabled: g('redis_cluster_enabled', 'Whether Redis Cluster mode is on (INFO cluster_enabled).', 'bool'),

  // ---- Memory --------------------------------------------------------------------------------
  redisMemoryUsedBytes: g('redis_memory_used_bytes', 'Bytes allocated by Redis (INFO used_memory).', 'bytes'),
  redisMemoryUsedRssBytes: g(
    'redis_memory_used_rss_bytes',
    'Resident set size of the Redis process (INFO used_memory_rss).',
    'bytes',
  ),
  redisMemoryUsedPeakBytes: g('redis_memory_used_peak_bytes', 'Peak of used_memory (INFO used_memory_peak).', 'bytes'),
  redisMemoryUsedLuaBytes: g(
    'redis_memory_used_lua_bytes',
    'Memory of the Lua engine (INFO used_memory_lua).',
    'bytes',
  ),
  redisMemoryUsedOverheadBytes: g(
    'redis_memory_used_overhead_bytes',
    'Memory Redis spends on its own structures, not data (INFO used_memory_overhead).',
    'bytes',
  ),
  redisMemoryUsedStartupBytes: g(
    'redis_memory_used_startup_bytes',
    'Memory Redis used at start-up (INFO used_memory_startup).',
    'bytes',
  ),
  redisMemoryUsedDatasetBytes: g(
    'redis_memory_used_dataset_bytes',
    'Memory holding the data set (INFO used_memory_dataset).',
    'bytes',
  ),
  redisMemoryUsedScriptsBytes: g(
    'redis_memory_used_scripts_bytes',
    'Memory of cached scripts (INFO used_memory_scripts).',
    'bytes',
  ),
  redisMemoryMaxBytes: g('redis_memory_max_bytes', 'Configured maxmemory; 0 means no limit (INFO maxmemory).', 'bytes'),
  redisConfigMaxmemory: g(
    'redis_config_maxmemory',
    'Configured maxmemory; 0 means no limit (CONFIG GET maxmemory).',
    'bytes',
  ),
  redisMemFragmentationRatio: g(
    'redis_mem_fragmentation_ratio',
    'RSS divided by used memory (INFO mem_fragmentation_ratio).',
    'short',
  ),
  redisMemFragmentationBytes: g(
    'redis_mem_fragmentation_bytes',
    'RSS minus used memory (INFO mem_fragmentation_bytes).',
    'bytes',
  ),
  redisMemClientsSlaves: g(
    'redis_mem_clients_slaves',
    'Memory of replica client buffers (INFO mem_clients_slaves).',
    'bytes',
  ),
  redisMemClientsNormal: g(
    'redis_mem_clients_normal',
    'Memory of normal client buffers (INFO mem_clients_normal).',
    'bytes',
  ),
  redisMemNotCountedForEvictionBytes: g(
    'redis_mem_not_counted_for_eviction_bytes',
    'Replication and AOF buffers, left out of the maxmemory check (INFO mem_not_counted_for_evict).',
    'bytes',
  ),
  redisAllocatorAllocatedBytes: g(
    'redis_allocator_allocated_bytes',
    'Bytes the allocator handed out (INFO allocator_allocated).',
    'bytes',
  ),
  redisAllocatorActiveBytes: g(
    'redis_allocator_active_bytes',
    'Bytes in the allocator’s active pages (INFO allocator_active).',
    'bytes',
  ),
  redisAllocatorResidentBytes: g(
    'redis_allocator_resident_bytes',
    'Bytes resident in the allocator (INFO allocator_resident).',
    'bytes',
  ),
  redisAllocatorFragRatio: g(
    'redis_allocator_frag_ratio',
    'Allocator fragmentation, active / allocated (INFO allocator_frag_ratio).',
    'short',
  ),
  redisAllocatorFragBytes: g(
    'redis_allocator_frag_bytes',
    'Allocator fragmentation, active - allocated (INFO allocator_frag_bytes).',
    'bytes',
  ),
  redisAllocatorRssRatio: g(
    'redis_allocator_rss_ratio',
    'Resident / active allocator memory (INFO allocator_rss_ratio).',
    'short',
  ),
  redisAllocatorRssBytes: g(
    'redis_allocator_rss_bytes',
    'Resident - active allocator memory (INFO allocator_rss_bytes).',
    'bytes',
  ),
  redisLazyfreePendingObjects: g(
    'redis_lazyfree_pending_objects',
    'Objects waiting to be freed in the background (INFO lazyfree_pending_objects).',
    'short',
  ),
  redisNumberOfCachedScripts: g(
    'redis_number_of_cached_scripts',
    'Lua scripts in the script cache (INFO number_of_cached_scripts).',
    'short',
  ),
  redisActiveDefragRunning: g(
    'redis_active_defrag_running',
    'Whether active defragmentation is running (INFO active_defrag_running).',
    'short',
  ),
  redisDefragHits: g('redis_defrag_hits', 'Values moved by active defragmentation (INFO active_defrag_hits).', 'short'),
  redisDefragMisses: g(
    'redis_defrag_misses',
    'Values active defragmentation skipped (INFO active_defrag_misses).',
    'short',
  ),
  redisDefragKeyHits: g('redis_defrag_key_hits', 'Keys defragmented (INFO active_defrag_key_hits).', 'short'),
  redisDefragKeyMisses: g(
    'redis_defrag_key_misses',
    'Keys active defragmentation skipped (INFO active_defrag_key_misses).',
    'short',
  ),

  // ---- Keyspace and expiry -------------------------------------------------------------------
  redisDbKeys: g(
    'redis_db_keys',
    'Keys per database (INFO keyspace keys); 0 for every database up to CONFIG GET databases that holds none.',
    'short',
    { labels: ['db'] },
  ),
  redisDbKeysExpiring: g(
    'redis_db_keys_expiring',
    'Keys with a TTL per database (INFO keyspace expires); 0 for an empty database.',
    'short',
    { labels: ['db'] },
  ),
  redisDbAvgTtlSeconds: g(
    'redis_db_avg_ttl_seconds',
    'Average TTL of the keys with one, per database holding keys (INFO keyspace avg_ttl / 1000).',
    's',
    { labels: ['db'], onlyWhen: KEYS },
  ),
  redisKeyspaceHitsTotal: c('redis_keyspace_hits_total', 'Successful key lookups (INFO keyspace_hits).', 'ops'),
  redisKeyspaceMissesTotal: c('redis_keyspace_misses_total', 'Failed key lookups (INFO keyspace_misses).', 'ops'),
  redisExpiredKeysTotal: c('redis_expired_keys_total', 'Key expiry events (INFO expired_keys).', 'ops'),
  redisEvictedKeysTotal: c('redis_evicted_keys_total', 'Keys evicted because of maxmemory (INFO evicted_keys).', 'ops'),
  redisExpiredStalePercentage: g(
    'redis_expired_stale_percentage',
    'Estimated percentage of keys already expired but not yet removed (INFO expired_stale_perc).',
    'short',
  ),
  redisExpiredTimeCapReachedTotal: g(
    'redis_expired_time_cap_reached_total',
    'Times an active expire cycle stopped at its time limit; a gauge in redis_exporter (INFO expired_time_cap_reached_count).',
    'short',
  ),

  // ---- Commands, errors, latency -------------------------------------------------------------
  redisCommandsProcessedTotal: c(
    'redis_commands_processed_total',
    'Commands processed by the server (INFO total_commands_processed).',
    'ops',
  ),
  redisCommandsTotal: c('redis_commands_total', 'Calls per command (INFO commandstats calls).', 'ops', {
    labels: ['cmd'],
  }),
  redisCommandsDurationSecondsTotal: c(
    'redis_commands_duration_seconds_total',
    'Seconds spent executing each command (INFO commandstats usec / 1e6).',
    's',
    { labels: ['cmd'] },
  ),
  redisCommandsRejectedCallsTotal: c(
    'redis_commands_rejected_calls_total',
    'Calls refused before execution per command: arity, ACL, OOM… (INFO commandstats rejected_calls).',
    'ops',
    { labels: ['cmd'] },
  ),
  redisCommandsFailedCallsTotal: c(
    'redis_commands_failed_calls_total',
    'Calls that failed during execution per command (INFO commandstats failed_calls).',
    'ops',
    { labels: ['cmd'] },
  ),
  redisLatencyPercentilesUsec: def({
    name: 'redis_latency_percentiles_usec',
    type: 'summary',
    help: 'Latency percentiles per command in microseconds (INFO latencystats p50/p99/p99.9; sum and count from commandstats).',
    labels: ['cmd'],
    unit: 'µs',
    sources: ['exporter'],
  }),
  redisErrorsTotal: c(
    'redis_errors_total',
    'Error replies per error prefix (INFO errorstats), ERR, WRONGTYPE, NOAUTH…',
    'ops',
    { labels: ['err'], onlyWhen: 'Redis has replied with an error since start-up or CONFIG RESETSTAT' },
  ),
  redisTotalErrorReplies: c(
    'redis_total_error_replies',
    'Error replies sent, all prefixes (INFO total_error_replies); a counter without _total, as redis_exporter names it.',
    'ops',
  ),
  redisUnexpectedErrorReplies: c(
    'redis_unexpected_error_replies',
    'Unexpected error replies, AOF load or replication errors (INFO unexpected_error_replies).',
    'ops',
  ),
  redisDumpPayloadSanitizations: c(
    'redis_dump_payload_sanitizations',
    'Deep RESTORE payload integrity checks (INFO dump_payload_sanitizations).',
    'ops',
  ),
  redisSlowlogLength: g('redis_slowlog_length', 'Entries in the slow log (SLOWLOG LEN).', 'short'),
  redisSlowlogLastId: g(
    'redis_slowlog_last_id',
    'Id of the newest slow log entry; 0 when empty (SLOWLOG GET 1).',
    'short',
  ),
  redisLastSlowExecutionDurationSeconds: g(
    'redis_last_slow_execution_duration_seconds',
    'Execution time of the newest slow log entry; 0 when empty (SLOWLOG GET 1).',
    's',
  ),
  redisLatencySpikeLast: g(
    'redis_latency_spike_last',
    'Unix time of the latest latency spike per event (LATENCY LATEST).',
    'dateTimeAsIso',
    { labels: ['event_name'], onlyWhen: 'latency monitoring (latency-monitor-threshold > 0) has recorded a spike' },
  ),
  redisLatencySpikeDurationSeconds: g(
    'redis_latency_spike_duration_seconds',
    'Length of the latest latency spike per event (LATENCY LATEST, ms / 1000).',
    's',
    { labels: ['event_name'], onlyWhen: 'latency monitoring (latency-monitor-threshold > 0) has recorded a spike' },
  ),

  // ---- Network, connections, I/O threads -----------------------------------------------------
  redisConnectionsReceivedTotal: c(
    'redis_connections_received_total',
    'Connections accepted (INFO total_connections_received).',
    'ops',
  ),
  redisRejectedConnectionsTotal: c(
    'redis_rejected_connections_total',
    'Connections rejected because of maxclients (INFO rejected_connections).',
    'ops',
  ),
  redisNetInputBytesTotal: c(
    'redis_net_input_bytes_total',
    'Bytes read from the network (INFO total_net_input_bytes).',
    'bytes',
  ),
  redisNetOutputBytesTotal: c(
    'redis_net_output_bytes_total',
    'Bytes written to the network (INFO total_net_output_bytes).',
    'bytes',
  ),
  redisTotalReadsProcessed: c(
    'redis_total_reads_processed',
    'Read events processed (INFO total_reads_processed).',
    'ops',
  ),
  redisTotalWritesProcessed: c(
    'redis_total_writes_processed',
    'Write events processed (INFO total_writes_processed).',
    'ops',
  ),
  redisIoThreadedReadsProcessed: c(
    'redis_io_threaded_reads_processed',
    'Read events processed by I/O threads (INFO io_threaded_reads_processed).',
    'ops',
  ),
  redisIoThreadedWritesProcessed: c(
    'redis_io_threaded_writes_processed',
    'Write events processed by I/O threads (INFO io_threaded_writes_processed).',
    'ops',
  ),
  redisIoThreadsActive: g(
    'redis_io_threads_active',
    'Whether I/O threads are active (INFO io_threads_active).',
    'bool',
  ),
  redisConfigIoThreads: g('redis_config_io_threads', 'Configured io-threads (CONFIG GET io-threads).', 'short'),
  redisMigrateCachedSocketsTotal: g(
    'redis_migrate_cached_sockets_total',
    'Sockets open for MIGRATE; a gauge in redis_exporter (INFO migrate_cached_sockets).',
    'short',
  ),
  redisPubsubChannels: g('redis_pubsub_channels', 'Channels with subscribers (INFO pubsub_channels).', 'short'),
  redisPubsubPatterns: g('redis_pubsub_patterns', 'Pattern subscriptions (INFO pubsub_patterns).', 'short'),
  redisTrackingTotalKeys: g(
    'redis_tracking_total_keys',
    'Keys tracked for client-side caching (INFO tracking_total_keys).',
    'short',
  ),
  redisTrackingTotalItems: g(
    'redis_tracking_total_items',
    'Items tracked for client-side caching (INFO tracking_total_items).',
    'short',
  ),
  redisTrackingTotalPrefixes: g(
    'redis_tracking_total_prefixes',
    'Prefixes tracked in broadcast mode (INFO tracking_total_prefixes).',
    'short',
  ),

  // ---- CPU -----------------------------------------------------------------------------------
  redisCpuSysSecondsTotal: c('redis_cpu_sys_seconds_total', 'System CPU of the Redis server (INFO used_cpu_sys).', 's'),
  redisCpuUserSecondsTotal: c(
    'redis_cpu_user_seconds_total',
    'User CPU of the Redis server (INFO used_cpu_user).',
    's',
  ),
  redisCpuSysChildrenSecondsTotal: c(
    'redis_cpu_sys_children_seconds_total',
    'System CPU of background children, BGSAVE and AOF rewrites (INFO used_cpu_sys_children).',
    's',
  ),
  redisCpuUserChildrenSecondsTotal: c(
    'redis_cpu_user_children_seconds_total',
    'User CPU of background children, BGSAVE and AOF rewrites (INFO used_cpu_user_children).',
    's',
  ),
  redisCpuSysMainThreadSecondsTotal: c(
    'redis_cpu_sys_main_thread_seconds_total',
    'System CPU of the main thread (INFO used_cpu_sys_main_thread).',
    's',
  ),
  redisCpuUserMainThreadSecondsTotal: c(
    'redis_cpu_user_main_thread_seconds_total',
    'User CPU of the main thread (INFO used_cpu_user_main_thread).',
    's',
  ),

  // ---- Persistence ---------------------------------------------------------------------------
  redisLoadingDumpFile: g('redis_loading_dump_file', 'Whether Redis is loading its dump file (INFO loading).', 'bool'),
  redisRdbChangesSinceLastSave: g(
    'redis_rdb_changes_since_last_save',
    'Writes since the last RDB save (INFO rdb_changes_since_last_save).',
    'short',
  ),
  redisRdbBgsaveInProgress: g(
    'redis_rdb_bgsave_in_progress',
    'Whether a BGSAVE runs (INFO rdb_bgsave_in_progress).',
    'bool',
  ),
  redisRdbLastSaveTimestampSeconds: g(
    'redis_rdb_last_save_timestamp_seconds',
    'Unix time of the last successful RDB save (INFO rdb_last_save_time).',
    'dateTimeAsIso',
  ),
  redisRdbLastBgsaveStatus: g(
    'redis_rdb_last_bgsave_status',
    'Whether the last BGSAVE succeeded, 1 ok, 0 err (INFO rdb_last_bgsave_status).',
    'bool',
  ),
  redisRdbLastBgsaveDurationSec: g(
    'redis_rdb_last_bgsave_duration_sec',
    'Seconds the last BGSAVE took; -1 before the first (INFO rdb_last_bgsave_time_sec).',
    's',
  ),
  redisRdbCurrentBgsaveDurationSec: g(
    'redis_rdb_current_bgsave_duration_sec',
    'Seconds the running BGSAVE has taken; -1 when none runs (INFO rdb_current_bgsave_time_sec).',
    's',
  ),
  redisRdbLastCowSizeBytes: g(
    'redis_rdb_last_cow_size_bytes',
    'Copy-on-write memory of the last BGSAVE (INFO rdb_last_cow_size).',
    'bytes',
  ),
  redisLatestForkSeconds: g(
    'redis_latest_fork_seconds',
    'Duration of the latest fork (INFO latest_fork_usec / 1e6).',
    's',
  ),
  redisAofEnabled: g('redis_aof_enabled', 'Whether append-only persistence is on (INFO aof_enabled).', 'bool'),
  redisAofRewriteInProgress: g(
    'redis_aof_rewrite_in_progress',
    'Whether an AOF rewrite runs (INFO aof_rewrite_in_progress).',
    'bool',
  ),
  redisAofRewriteScheduled: g(
    'redis_aof_rewrite_scheduled',
    'Whether an AOF rewrite waits for a BGSAVE to end (INFO aof_rewrite_scheduled).',
    'bool',
  ),
  redisAofLastRewriteDurationSec: g(
    'redis_aof_last_rewrite_duration_sec',
    'Seconds the last AOF rewrite took; -1 before the first (INFO aof_last_rewrite_time_sec).',
    's',
  ),
  redisAofCurrentRewriteDurationSec: g(
    'redis_aof_current_rewrite_duration_sec',
    'Seconds the running AOF rewrite has taken; -1 when none runs (INFO aof_current_rewrite_time_sec).',
    's',
  ),
  redisAofLastCowSizeBytes: g(
    'redis_aof_last_cow_size_bytes',
    'Copy-on-write memory of the last AOF rewrite (INFO aof_last_cow_size).',
    'bytes',
  ),
  redisAofLastBgrewriteStatus: g(
    'redis_aof_last_bgrewrite_status',
    'Whether the last AOF rewrite succeeded, 1 ok, 0 err (INFO aof_last_bgrewrite_status).',
    'bool',
  ),
  redisAofLastWriteStatus: g(
    'redis_aof_last_write_status',
    'Whether the last AOF write succeeded, 1 ok, 0 err (INFO aof_last_write_status).',
    'bool',
  ),
  redisAofCurrentSizeBytes: g('redis_aof_current_size_bytes', 'Size of the AOF (INFO aof_current_size).', 'bytes', {
    onlyWhen: AOF,
  }),
  redisAofBaseSizeBytes: g(
    'redis_aof_base_size_bytes',
    'Size of the AOF at the last start-up or rewrite (INFO aof_base_size).',
    'bytes',
    { onlyWhen: AOF },
  ),
  redisAofPendingRewrite: g(
    'redis_aof_pending_rewrite',
    'Whether an AOF rewrite is pending (INFO aof_pending_rewrite).',
    'bool',
    { onlyWhen: AOF },
  ),
  redisAofBufferLength: g('redis_aof_buffer_length', 'Size of the AOF buffer (INFO aof_buffer_length).', 'bytes', {
    onlyWhen: AOF,
  }),
  redisAofRewriteBufferLength: g(
    'redis_aof_rewrite_buffer_length',
    'Size of the AOF rewrite buffer (INFO aof_rewrite_buffer_length; Redis 7 has none).',
    'bytes',
    { onlyWhen: `${AOF} and ${BEFORE_7}` },
  ),
  redisAofPendingBioFsync: g(
    'redis_aof_pending_bio_fsync',
    'fsync jobs waiting in the background queue (INFO aof_pending_bio_fsync).',
    'short',
    { onlyWhen: AOF },
  ),
  redisAofDelayedFsync: g('redis_aof_delayed_fsync', 'Delayed fsync operations (INFO aof_delayed_fsync).', 'short', {
    onlyWhen: AOF,
  }),
  redisModuleForkInProgress: g(
    'redis_module_fork_in_progress',
    'Whether a module fork runs (INFO module_fork_in_progress).',
    'bool',
  ),
  redisModuleForkLastCowSize: g(
    'redis_module_fork_last_cow_size',
    'Copy-on-write memory of the last module fork (INFO module_fork_last_cow_size).',
    'bytes',
  ),

  // ---- Replication ---------------------------------------------------------------------------
  redisConnectedSlaves: g(
    'redis_connected_slaves',
    'Connected replicas; redis_exporter keeps the historical name (INFO connected_slaves).',
    'short',
  ),
  redisConnectedSlaveOffsetBytes: g(
    'redis_connected_slave_offset_bytes',
    'Replication offset each replica has acknowledged, on the primary (INFO slaveN offset).',
    'bytes',
    { labels: SLAVE, onlyWhen: HAS_REPLICAS },
  ),
  redisConnectedSlaveLagSeconds: g(
    'redis_connected_slave_lag_seconds',
    'Seconds since each replica last acknowledged, on the primary (INFO slaveN lag).',
    's',
    { labels: SLAVE, onlyWhen: HAS_REPLICAS },
  ),
  redisMasterReplOffset: g(
    'redis_master_repl_offset',
    'Replication offset of this server (INFO master_repl_offset).',
    'bytes',
  ),
  redisSecondReplOffset: g(
    'redis_second_repl_offset',
    'Offset up to which the previous replication id is accepted; -1 when none (INFO second_repl_offset).',
    'bytes',
  ),
  redisReplBacklogIsActive: g(
    'redis_repl_backlog_is_active',
    'Whether the replication backlog is active (INFO repl_backlog_active).',
    'bool',
  ),
  redisReplicationBacklogBytes: g(
    'redis_replication_backlog_bytes',
    'Configured size of the replication backlog (INFO repl_backlog_size).',
    'bytes',
  ),
  redisReplBacklogFirstByteOffset: g(
    'redis_repl_backlog_first_byte_offset',
    'Master offset of the backlog’s first byte (INFO repl_backlog_first_byte_offset).',
    'bytes',
  ),
  redisReplBacklogHistoryBytes: g(
    'redis_repl_backlog_history_bytes',
    'Bytes of data in the replication backlog (INFO repl_backlog_histlen).',
    'bytes',
  ),
  redisReplicaResyncsFull: g(
    'redis_replica_resyncs_full',
    'Full resynchronisations with replicas; a gauge in redis_exporter (INFO sync_full).',
    'short',
  ),
  redisReplicaPartialResyncAccepted: g(
    'redis_replica_partial_resync_accepted',
    'Partial resynchronisations accepted (INFO sync_partial_ok).',
    'short',
  ),
  redisReplicaPartialResyncDenied: g(
    'redis_replica_partial_resync_denied',
    'Partial resynchronisations denied (INFO sync_partial_err).',
    'short',
  ),
  redisSlaveExpiresTrackedKeys: g(
    'redis_slave_expires_tracked_keys',
    'Keys tracked for expiry on a writable replica (INFO slave_expires_tracked_keys).',
    'short',
  ),
  redisSlaveInfo: g(
    'redis_slave_info',
    'Always 1 on a replica; labels name its primary and whether it is read-only (INFO replication).',
    'none',
    { labels: ['master_host', 'master_port', 'read_only'], onlyWhen: REPLICA },
  ),
  redisMasterLinkUp: g(
    'redis_master_link_up',
    'Whether the replica’s link to its primary is up (INFO master_link_status).',
    'bool',
    { labels: MASTER, onlyWhen: REPLICA },
  ),
  redisMasterLastIoSecondsAgo: g(
    'redis_master_last_io_seconds_ago',
    'Seconds since the replica last heard from its primary; -1 when disconnected (INFO master_last_io_seconds_ago).',
    's',
    { labels: MASTER, onlyWhen: REPLICA },
  ),
  redisMasterSyncInProgress: g(
    'redis_master_sync_in_progress',
    'Whether the replica is syncing from its primary (INFO master_sync_in_progress).',
    'bool',
    { labels: MASTER, onlyWhen: REPLICA },
  ),
  redisSlaveReplOffset: g(
    'redis_slave_repl_offset',
    'Replication offset the replica has processed (INFO slave_repl_offset).',
    'bytes',
    { labels: MASTER, onlyWhen: REPLICA },
  ),
  redisSlavePriority: g(
    'redis_slave_priority',
    'Replica priority for failover; 0 never promoted (INFO slave_priority).',
    'short',
    { onlyWhen: REPLICA },
  ),
} as const;

/** The names above, taken from redis_exporter as they are (the naming test exempts them from `_total` rules). */
export const REDIS_EXPORTER_NAMES: ReadonlySet<string> = new Set(
  Object.values(redisExporterMetrics).map((m) => m.name),
);
