/**
 * Redis & queue: the Redis server's health, per configured queue its backlog and flow, the queue
 * exporter's own health, then the Redis detail rows (commands, persistence, replication).
 */
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { MixinConfig, QueueConfig } from '../config/mixin-config.js';
import { hasOldestAge, mayBeStream } from '../config/queue-kinds.js';
import { type DashboardJson, withDefaults } from './defaults.js';
import {
  ANY_RATE,
  higherIsWorse,
  type PanelBuilder,
  row,
  statPanel,
  steps,
  timedOutMappings,
  timeSeries,
  upDownMappings,
} from './panels.js';
import {
  exporterQueries,
  MAXMEMORY_UNSET,
  NO_STREAM_GROUP,
  QUEUE_NOT_SHRINKING,
  queueQueries,
  redisQueries,
  streamGroupQueries,
} from './queries.js';
import { redisServerRows } from './redis-server.js';

function queuePanels(cfg: MixinConfig, queue: QueueConfig): PanelBuilder[] {
  const q = queueQueries(cfg, queue);
  // The exporter reads processing lists only for a queue with a processingPattern (any type): without
  // one it never writes the processing series, so the panel would stay empty. QueueProcessingStuck
  // follows the same rule (alerts/queue.ts). Likewise a set or hash has no oldest item, so no age
  // panel. The panels left share the row's 24 columns.
  const withAge = hasOldestAge(queue);
  const withProcessing = Boolean(queue.processingPattern);
  const w = 24 / (1 + Number(withAge) + Number(withProcessing));
  const age = withAge
    ? [
        timeSeries({
          title: `${queue.name}: oldest item age`,
          description: `How long the oldest waiting item has been in the queue. Warning at ${queue.oldestAgeWarningSeconds}s, critical at ${queue.oldestAgeCriticalSeconds}s.`,
          unit: 's',
          min: 0,
          thresholds: higherIsWorse(queue.oldestAgeWarningSeconds, queue.oldestAgeCriticalSeconds),
          queries: [{ expr: q.oldestAge, legend: 'oldest' }],
          w,
        }),
      ]
    : [];
  const processing = withProcessing
    ? [
        timeSeries({
          title: `${queue.name}: processing`,
          description: `Items taken by workers but not yet acknowledged (sum of the reliable-queue processing lists matching ${queue.processingPattern}). Items that stay here belong to a crashed worker.`,
          unit: 'short',
          min: 0,
          queries: [{ expr: q.processingLength, legend: 'processing' }],
          w,
        }),
      ]
    : [];
  return [
    timeSeries({
      title: `${queue.name}: length`,
      description: `Items waiting in queue "${queue.name}" (Redis key ${queue.key}). Warning at ${queue.warning}, critical at ${queue.critical} (for ${queue.for}), from the mixin config.`,
      unit: 'short',
      min: 0,
      thresholds: higherIsWorse(queue.warning, queue.critical),
      queries: [{ expr: q.length, legend: 'waiting' }],
      w,
    }),
    ...age,
    ...processing,
    timeSeries({
      title: `${queue.name}: enqueue vs dequeue rate`,
      description:
        'Items pushed by the vote service versus items acknowledged by workers, per second. Enqueue above dequeue means the backlog grows.',
      unit: 'ops',
      min: 0,
      queries: [
        { expr: q.enqueued, legend: 'enqueued' },
        { expr: q.dequeued, legend: 'dequeued' },
      ],
      w: 16,
    }),
    statPanel({
      title: `${queue.name}: drain ETA`,
      description: `Backlog divided by the net drain rate (dequeue minus enqueue): time until the queue is empty at the current pace. 0 when the queue is empty; "Not shrinking" while a backlog stays or grows. Target: ${queue.drainTargetSeconds}s.`,
      unit: 's',
      thresholds: higherIsWorse(queue.drainTargetSeconds, queue.drainTargetSeconds * 2),
      queries: [{ expr: q.drainEta, legend: 'ETA', instant: true, mayBeEmpty: QUEUE_NOT_SHRINKING }],
      noValue: 'Not shrinking',
      w: 8,
      h: 8,
    }),
  ];
}

/** Which consumer group of which stream falls behind: one series per queue, key and group. */
function streamGroupPanel(cfg: MixinConfig, streams: readonly QueueConfig[]): PanelBuilder {
  const g = streamGroupQueries(cfg, streams);
  const names = streams.map((q) => q.name).join(', ');
  return timeSeries({
    title: 'Stream consumer groups: lag and pending by group',
    description: `Per consumer group of the queues declared stream or auto (${names}): lag, entries not yet delivered to the group, and pending, entries delivered to one of its consumers but not acknowledged. The queue's length is the largest lag + pending, so the group on top is the one holding the queue back; pending that stays while lag is 0 points at a crashed consumer (XCLAIM or XAUTOCLAIM its entries). Empty for a queue that is not a stream or has no consumer group.`,
    unit: 'short',
    min: 0,
    queries: [
      { expr: g.lag, legend: '{{queue}} › {{key}} › {{group}} lag', mayBeEmpty: NO_STREAM_GROUP },
      { expr: g.pending, legend: '{{queue}} › {{key}} › {{group}} pending', mayBeEmpty: NO_STREAM_GROUP },
    ],
    noValue: 'No stream consumer group',
    w: 24,
  });
}

export function redisQueueDashboard(cfg: MixinConfig): DashboardJson {
  const r = redisQueries(cfg);
  const t = cfg.thresholds.redis;
  const b = new DashboardBuilder('redis-queue')
    .withRow(row('Redis'))
    .withPanel(
      statPanel({
        title: 'Redis up',
        description: 'Whether the exporter reached Redis on its last scrape.',
        unit: 'none',
        thresholds: steps('red', [1, 'green']),
        mappings: upDownMappings,
        queries: [{ expr: r.up, instant: true }],
      }),
    )
    .withPanel(
      statPanel({
        title: 'Redis uptime',
        description:
          'Seconds since the Redis server started; a small value means it restarted (and lost its data unless persisted).',
        unit: 's',
        thresholds: steps('orange', [3600, 'green']),
        queries: [{ expr: r.uptime, instant: true }],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Memory used / maxmemory',
        description: `Used memory as a share of maxmemory. "No limit" when maxmemory is 0. Warning at ${t.memoryWarningRatio}, critical at ${t.memoryCriticalRatio} (config).`,
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: higherIsWorse(t.memoryWarningRatio, t.memoryCriticalRatio),
        queries: [{ expr: r.memoryRatio, legend: '{{instance}}', mayBeEmpty: MAXMEMORY_UNSET }],
        noValue: 'No limit',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Memory',
        description: 'Bytes allocated by Redis, its resident set size, and maxmemory when one is set.',
        unit: 'bytes',
        min: 0,
        queries: [
          { expr: r.memoryUsed, legend: 'used {{instance}}' },
          { expr: r.memoryRss, legend: 'rss {{instance}}' },
          { expr: r.memoryMax, legend: 'maxmemory {{instance}}', mayBeEmpty: MAXMEMORY_UNSET },
        ],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Clients',
        description: 'Connected clients, and those blocked in BLMOVE and friends (idle workers waiting for work).',
        unit: 'short',
        min: 0,
        queries: [
          { expr: r.connectedClients, legend: 'connected {{instance}}' },
          { expr: r.blockedClients, legend: 'blocked {{instance}}' },
        ],
        // Memory (12) + Clients (6) + Commands/s (6): one full line of Grafana's 24 columns.
        w: 6,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Commands/s',
        description: 'Commands Redis processed per second.',
        unit: 'ops',
        min: 0,
        queries: [{ expr: r.commands, legend: '{{instance}}' }],
        w: 6,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Keyspace hit ratio',
        description: 'Share of key lookups that found the key.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [{ expr: r.hitRatio, legend: 'hit ratio' }],
        w: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Evicted keys/s',
        description: 'Keys evicted because Redis reached maxmemory. Any eviction can drop queued votes.',
        unit: 'ops',
        min: 0,
        thresholds: steps('green', [ANY_RATE, 'red']),
        queries: [{ expr: r.evicted, legend: 'evicted' }],
        // Hit ratio, evictions, rejections: 8 + 8 + 8 columns.
        w: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Rejected connections/s',
        description: 'Connections refused because maxclients was reached.',
        unit: 'ops',
        min: 0,
        thresholds: steps('green', [ANY_RATE, 'red']),
        queries: [{ expr: r.rejected, legend: 'rejected' }],
        w: 8,
      }),
    );
  for (const queue of cfg.queues) {
    b.withRow(row(`Queue ${queue.name}`));
    for (const p of queuePanels(cfg, queue)) b.withPanel(p);
  }
  // Last, so adding it moved no existing panel id; the exporter alerts' dashboard_url points here.
  const e = exporterQueries(cfg);
  b.withRow(row('Queue exporter'))
    .withPanel(
      timeSeries({
        title: 'Exporter collection duration',
        description: `Wall time of the queue exporter's last collection from Redis, per exporter. Slow collections load Redis and risk scrape timeouts; warning at ${cfg.thresholds.exporter.scrapeDurationWarningSeconds}s (config).`,
        unit: 's',
        min: 0,
        thresholds: steps('green', [cfg.thresholds.exporter.scrapeDurationWarningSeconds, 'orange']),
        queries: [{ expr: e.collectionDuration, legend: '{{instance}}' }],
        w: 10,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Exporter collection errors/s',
        description:
          'Failed or timed-out collections per second, by reason. While above zero the queue panels above may be missing or stale.',
        unit: 'ops',
        min: 0,
        thresholds: steps('green', [ANY_RATE, 'red']),
        queries: [{ expr: e.collectionErrors, legend: '{{reason}}' }],
        w: 10,
      }),
    )
    .withPanel(
      statPanel({
        title: 'Last collection',
        description:
          "Whether the exporter's last collection finished or hit its deadline. A Redis that answers slowly (or queues matching too many keys) times out but stays up (Redis up: UP): the queue series the collection did not reach are missing, not 0, until one finishes. See Command latency by command.",
        unit: 'none',
        thresholds: steps('green', [1, 'orange']),
        mappings: timedOutMappings,
        queries: [{ expr: e.lastTimedOut, instant: true }],
        w: 4,
        h: 8,
      }),
    );
  for (const section of redisServerRows(cfg)) {
    b.withRow(row(section.title));
    for (const p of section.panels) b.withPanel(p);
  }
  // Last, so that no panel id moves (a team's bookmarks and the alerts' links keep theirs); left
  // out when every queue is declared a list, zset, set or hash: those never have consumer groups.
  const streams = cfg.queues.filter(mayBeStream);
  if (streams.length > 0) b.withRow(row('Stream consumer groups')).withPanel(streamGroupPanel(cfg, streams));
  return withDefaults(
    cfg,
    {
      key: 'redis-queue',
      components: ['exporter', 'vote', 'worker'],
      description: `Redis health and, per configured queue, backlog, oldest item, processing lists, flow and drain ETA; then Redis command latency, traffic, errors, persistence, fragmentation and replication${streams.length > 0 ? '; then lag and pending per stream consumer group' : ''}.`,
    },
    b.build(),
  );
}
