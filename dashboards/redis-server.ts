/**
 * The Redis detail rows of the Redis & queue dashboard: which commands are slow, traffic and error
 * replies, whether persistence works, replication, fragmentation and keys. Below the queue rows,
 * so the panels an operator opens first keep their place (and their `viewPanel` ids).
 */
import type { MixinConfig } from '../config/mixin-config.js';
import {
  ANY_RATE,
  okFailedMappings,
  onOffMappings,
  type PanelBuilder,
  statPanel,
  steps,
  timeSeries,
  upDownMappings,
} from './panels.js';
import { IS_PRIMARY, NO_ERROR_YET, NO_KEYS, NO_REPLICA, redisDetailQueries } from './queries.js';

/** One dashboard row: its title and its panels. */
export interface RowSection {
  title: string;
  panels: PanelBuilder[];
}

const mib = (bytes: number): string => `${Number((bytes / 2 ** 20).toPrecision(3))} MiB`;

/** The rows in layout order, for the dashboard builder to append. */
export function redisServerRows(cfg: MixinConfig): RowSection[] {
  const q = redisDetailQueries(cfg);
  const t = cfg.thresholds.redis;
  return [
    { title: 'Redis commands and traffic', panels: commandPanels(q) },
    { title: 'Redis persistence and memory', panels: persistencePanels(q, t) },
    { title: 'Redis replication', panels: replicationPanels(q, t) },
  ];
}

type Queries = ReturnType<typeof redisDetailQueries>;
type RedisThresholds = MixinConfig['thresholds']['redis'];

function commandPanels(q: Queries): PanelBuilder[] {
  return [
    timeSeries({
      title: 'Command latency by command',
      description:
        'Mean time Redis spent executing one call, per command (commandstats: time over calls in the window). The queue commands (LPUSH, BRPOP/BLMOVE, LMOVE, LREM, EVALSHA) should stay in microseconds; a slow command here blocks every other client, votes included. A blocking command counts its execution, not the time it waited for an item.',
      unit: 's',
      min: 0,
      queries: [{ expr: q.commandLatency, legend: '{{cmd}}' }],
    }),
    timeSeries({
      title: 'Calls/s by command',
      description:
        'Calls per second of each command. LPUSH follows the votes enqueued, BRPOP/BLMOVE and LREM the worker; a command that suddenly dominates (KEYS, a big LRANGE) explains a latency spike.',
      unit: 'ops',
      min: 0,
      queries: [{ expr: q.commandCalls, legend: '{{cmd}}' }],
    }),
    timeSeries({
      title: 'Network traffic',
      description:
        'Bytes per second Redis reads from and writes to its clients (replicas included). Input follows the votes enqueued; output that grows alone points at a client reading large values (or a replica syncing).',
      unit: 'Bps',
      min: 0,
      queries: [
        { expr: q.netInput, legend: 'in {{instance}}' },
        { expr: q.netOutput, legend: 'out {{instance}}' },
      ],
      w: 8,
    }),
    timeSeries({
      title: 'Error replies/s',
      description:
        'Error replies Redis sent per second, all and by prefix: OOM (maxmemory reached under noeviction: votes refused), MISCONF (persistence failing: writes refused), WRONGTYPE (a key of the wrong type), NOSCRIPT (EVALSHA before SCRIPT LOAD), NOAUTH. 0 on a healthy system.',
      unit: 'ops',
      min: 0,
      thresholds: steps('green', [ANY_RATE, 'orange']),
      queries: [
        { expr: q.errorReplies, legend: 'all' },
        { expr: q.errorsByPrefix, legend: '{{err}}', mayBeEmpty: NO_ERROR_YET },
      ],
      w: 8,
    }),
    timeSeries({
      title: 'Keys',
      description:
        'Keys in all databases and in each one that holds any, and how many have a TTL. Queues are keys: a drained list disappears, so an idle Redis may hold none.',
      unit: 'short',
      min: 0,
      queries: [
        { expr: q.keys, legend: 'keys' },
        { expr: q.keysExpiring, legend: 'with a TTL' },
        { expr: q.keysByDb, legend: '{{db}}', mayBeEmpty: NO_KEYS },
      ],
      w: 8,
    }),
  ];
}

function persistencePanels(q: Queries, t: RedisThresholds): PanelBuilder[] {
  return [
    statPanel({
      title: 'Persistence status',
      description:
        'Whether the last RDB snapshot (BGSAVE) and the last append-only-file write succeeded. FAILED means Redis refuses writes (MISCONF, with the default stop-writes-on-bgsave-error) or would lose the queued votes on a restart: RedisRdbBgsaveFailed / RedisAofWriteFailed.',
      unit: 'none',
      thresholds: steps('red', [1, 'green']),
      mappings: okFailedMappings,
      queries: [
        { expr: q.rdbStatus, legend: 'RDB save', instant: true },
        { expr: q.aofStatus, legend: 'AOF write', instant: true },
      ],
      h: 8,
    }),
    statPanel({
      title: 'Append-only file',
      description:
        'Whether AOF persistence is on. Off: only RDB snapshots persist, and a crash loses every vote queued since the last one (see Unsaved changes).',
      unit: 'none',
      thresholds: steps('orange', [1, 'green']),
      mappings: onOffMappings,
      queries: [{ expr: q.aofEnabled, instant: true }],
      w: 4,
      h: 8,
    }),
    statPanel({
      title: 'Since last RDB save',
      description:
        'Time since the last successful RDB snapshot (of the instance that saved longest ago). Redis counts its start as a save, so without save points (save "") it is the time since Redis started.',
      unit: 's',
      // How old is too old depends on the save points, which the metrics do not tell: no colour judges it.
      thresholds: steps('blue'),
      queries: [{ expr: q.sinceLastSave, instant: true }],
      w: 4,
      h: 8,
    }),
    timeSeries({
      title: 'Unsaved changes',
      description:
        'Writes since the last RDB snapshot: with AOF off, what a crash of Redis would lose (every enqueued and dequeued vote counts).',
      unit: 'short',
      min: 0,
      queries: [{ expr: q.changesSinceSave, legend: '{{instance}}' }],
      w: 10,
    }),
    timeSeries({
      title: 'Memory fragmentation',
      description: `Resident memory over the memory Redis uses (1 = none), and the bytes that wastes. It climbs after a large backlog drains, since the allocator keeps the freed pages; on a Redis holding a few MB it reads 5 or more and means nothing. RedisMemoryFragmentationHigh warns above ${t.fragmentationWarningRatio} with more than ${mib(t.fragmentationMinBytes)} wasted (config).`,
      unit: 'short',
      min: 0,
      thresholds: steps('green', [t.fragmentationWarningRatio, 'orange']),
      queries: [{ expr: q.fragmentationRatio, legend: 'ratio {{instance}}' }],
    }),
    timeSeries({
      title: 'Fragmentation waste',
      description: `Bytes of resident memory Redis holds beyond what it uses (RSS minus used memory). RedisMemoryFragmentationHigh needs more than ${mib(t.fragmentationMinBytes)} of it (config).`,
      unit: 'bytes',
      queries: [{ expr: q.fragmentationBytes, legend: '{{instance}}' }],
    }),
  ];
}

function replicationPanels(q: Queries, t: RedisThresholds): PanelBuilder[] {
  return [
    statPanel({
      title: 'Replicas',
      description:
        'Replicas connected to this Redis. 0 on a single Redis; a drop means a replica left (its own exporter says why: Master link).',
      unit: 'short',
      queries: [{ expr: q.replicas, instant: true }],
      w: 4,
      h: 8,
    }),
    statPanel({
      title: 'Master link',
      description:
        "On a replica, whether its link to the master is up (RedisReplicationBroken when DOWN). A primary has no master: it shows 'Primary'.",
      unit: 'none',
      thresholds: steps('red', [1, 'green']),
      mappings: upDownMappings,
      queries: [{ expr: q.masterLink, instant: true, mayBeEmpty: IS_PRIMARY }],
      noValue: 'Primary',
      w: 4,
      h: 8,
    }),
    timeSeries({
      title: 'Replica lag',
      description: `Seconds since each replica last acknowledged the replication stream (a healthy one: every second). RedisReplicaLagHigh warns above ${t.replicaLagWarningSeconds}s (config). "No replica" on a single Redis.`,
      unit: 's',
      min: 0,
      thresholds: steps('green', [t.replicaLagWarningSeconds, 'orange']),
      queries: [{ expr: q.replicaLag, legend: '{{slave_ip}}:{{slave_port}}', mayBeEmpty: NO_REPLICA }],
      noValue: 'No replica',
      w: 8,
    }),
    timeSeries({
      title: 'Replica offset lag',
      description:
        'Bytes of the replication stream each replica has not acknowledged yet: what a failover to it would lose. "No replica" on a single Redis.',
      unit: 'bytes',
      min: 0,
      queries: [{ expr: q.replicaOffsetLag, legend: '{{slave_ip}}:{{slave_port}}', mayBeEmpty: NO_REPLICA }],
      noValue: 'No replica',
      w: 8,
    }),
  ];
}
