/** Redis server alerts (from redis_exporter-compatible INFO metrics our exporter exposes). */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { durationSeconds, sel } from '../config/promql.js';
import type { AlertSpec } from './alert-spec.js';
import { bytes, num, pct, secs } from './humanize.js';
import { counter, gauge, zeroFires } from './probe-series.js';
import { redisPersistenceAlerts } from './redis-persistence.js';
import { redisReplicationAlerts } from './redis-replication.js';
import type { AlertSeverity } from './rule-types.js';
import { scopeLabels } from './scope-labels.js';

export function redisAlerts(cfg: MixinConfig): AlertSpec[] {
  const t = cfg.thresholds.redis;
  const s = cfg.selectors.exporter;
  const target = { ...scopeLabels(s, 'selectors.exporter'), instance: 'exporter-1' };
  const w = cfg.alerts.rateWindow;

  const memory = (severity: AlertSeverity, threshold: number): AlertSpec => ({
    alert: 'RedisMemoryHigh',
    severity,
    // maxmemory 0 means "no limit": the `> 0` filter drops those series instead of dividing by zero.
    expr: `${sel(m.redisMemoryUsedBytes, {}, s)} / (${sel(m.redisMemoryMaxBytes, {}, s)} > 0) > ${num(threshold)}`,
    for: cfg.alerts.defaultFor,
    summary: `Redis memory above ${pct(threshold)} of maxmemory`,
    description:
      'Redis behind {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its maxmemory; at 100 % it evicts keys or rejects writes, and queued votes are lost or refused.',
    dashboard: { key: 'redis-queue', panel: 'Memory used / maxmemory' },
    runbook: {
      meaning: 'Redis is close to its memory limit. The vote queue lives in memory.',
      confirm: [sel(m.redisMemoryUsedBytes, {}, s), sel(m.redisMemoryMaxBytes, {}, s), sel(m.redisQueueLength, {}, s)],
      mitigate: [
        'If the queue backlog is large, fix the worker first (QueueBacklogHigh).',
        'Raise maxmemory (CONFIG SET maxmemory) if the host has room.',
        'Check the eviction policy: a queue needs noeviction.',
      ],
      followUp: ['Size maxmemory for the flash-sale backlog.'],
    },
    probe: {
      op: '>',
      threshold,
      labels: target,
      series: (v) => [
        gauge(sel(m.redisMemoryUsedBytes, {}, target), 1e9 * v),
        gauge(sel(m.redisMemoryMaxBytes, {}, target), 1e9),
      ],
    },
  });

  const restartWindow = durationSeconds(w);
  const frag = t.fragmentationWarningRatio;
  const fragBytes = t.fragmentationMinBytes;
  const own: AlertSpec[] = [
    {
      alert: 'RedisDown',
      severity: 'critical',
      expr: `${sel(m.redisUp, {}, s)} == 0`,
      for: cfg.alerts.downFor,
      summary: 'Redis is down',
      description:
        'The exporter {{ $labels.instance }} cannot reach Redis: votes cannot be enqueued and the worker is idle.',
      dashboard: { key: 'redis-queue', panel: 'Redis up' },
      runbook: {
        meaning: 'Redis does not answer. Voting fails (503) and nothing is processed.',
        confirm: [sel(m.up, {}, s)],
        mitigate: [
          'Check the redis-server process or pod and restart it.',
          'Check `redis-cli -h <host> ping` from the exporter host.',
          'Check memory: an OOM kill looks like this.',
        ],
        followUp: ['Check whether votes were lost (AOF/RDB settings) and the queue length after restart.'],
      },
      probe: zeroFires(target, sel(m.redisUp, {}, target)),
    },
    memory('warning', t.memoryWarningRatio),
    memory('critical', t.memoryCriticalRatio),
    {
      alert: 'RedisRejectedConnections',
      severity: 'warning',
      expr: `increase(${sel(m.redisRejectedConnectionsTotal, {}, s)}[${w}]) > 0`,
      for: '0s',
      summary: 'Redis rejects connections',
      description: `Redis behind {{ $labels.instance }} rejected connections in the last ${w} because maxclients was reached.`,
      dashboard: { key: 'redis-queue', panel: 'Rejected connections/s' },
      runbook: {
        meaning: 'Clients (vote instances, workers) cannot connect to Redis.',
        confirm: [sel(m.redisConnectedClients, {}, s), sel(m.redisConfigMaxclients, {}, s)],
        mitigate: ['Find the client leaking connections (CLIENT LIST).', 'Raise maxclients.'],
        followUp: ['Check connection pool sizes of vote and worker.'],
      },
      probe: {
        op: '>',
        threshold: 0,
        quiet: 0,
        firing: 1,
        labels: target,
        value: null,
        series: (v) => [counter(sel(m.redisRejectedConnectionsTotal, {}, target), v)],
      },
    },
    {
      alert: 'RedisTooManyClients',
      severity: 'warning',
      expr: `${sel(m.redisConnectedClients, {}, s)} / ${sel(m.redisConfigMaxclients, {}, s)} > ${num(t.clientsWarningRatio)}`,
      for: cfg.alerts.defaultFor,
      summary: `Redis clients above ${pct(t.clientsWarningRatio)} of maxclients`,
      description:
        'Redis behind {{ $labels.instance }} uses {{ $value | humanizePercentage }} of maxclients; new connections will soon be rejected.',
      dashboard: { key: 'redis-queue', panel: 'Clients' },
      runbook: {
        meaning: 'Redis is close to refusing new connections.',
        mitigate: ['Find the client with the most connections (CLIENT LIST).', 'Raise maxclients.'],
        followUp: ['Cap the pool sizes of vote and worker.'],
      },
      probe: {
        op: '>',
        threshold: t.clientsWarningRatio,
        labels: target,
        series: (v) => [
          gauge(sel(m.redisConnectedClients, {}, target), 10000 * v),
          gauge(sel(m.redisConfigMaxclients, {}, target), 10000),
        ],
      },
    },
    {
      alert: 'RedisRestarted',
      severity: 'info',
      expr: `${sel(m.redisUptimeInSeconds, {}, s)} < ${restartWindow}`,
      for: '0s',
      summary: 'Redis restarted',
      description:
        'Redis behind {{ $labels.instance }} restarted {{ $value | humanizeDuration }} ago; unless persistence is on, queued votes were lost.',
      dashboard: { key: 'redis-queue', panel: 'Redis uptime' },
      runbook: {
        meaning: `Redis has been up for less than ${secs(restartWindow)}.`,
        mitigate: ['If unplanned, read the Redis log for the cause (OOM, crash, deploy).'],
        followUp: ['Compare votes accepted and votes stored around the restart.'],
      },
      probe: {
        op: '<',
        threshold: restartWindow,
        labels: target,
        series: (v) => [gauge(sel(m.redisUptimeInSeconds, {}, target), v)],
      },
    },
    {
      alert: 'RedisKeysEvicted',
      severity: 'critical',
      expr: `increase(${sel(m.redisEvictedKeysTotal, {}, s)}[${w}]) > 0`,
      for: '0s',
      summary: 'Redis evicts keys',
      description: `Redis behind {{ $labels.instance }} evicted keys in the last ${w} to stay under maxmemory: an evicted queue takes every vote waiting in it.`,
      dashboard: { key: 'redis-queue', panel: 'Evicted keys/s' },
      runbook: {
        meaning:
          'Redis reached maxmemory under an eviction policy other than noeviction and deleted keys to make room. A queue is a key: evicting it drops every vote waiting in it, silently.',
        confirm: [
          sel(m.redisMemoryUsedBytes, {}, s),
          sel(m.redisMemoryMaxBytes, {}, s),
          sel(m.redisInstanceInfo, {}, s),
        ],
        mitigate: [
          'Set the eviction policy to noeviction (`CONFIG SET maxmemory-policy noeviction`): Redis then refuses writes when full instead of dropping queued votes, and the vote service answers 503.',
          'Raise maxmemory if the host has room, and drain the backlog (QueueBacklogHigh).',
        ],
        followUp: [
          'Compare votes accepted and votes stored over the eviction window: evicted votes are gone.',
          'Keep caches in another Redis than the queue.',
        ],
      },
      probe: {
        op: '>',
        threshold: 0,
        quiet: 0,
        firing: 1,
        labels: target,
        value: null,
        series: (v) => [counter(sel(m.redisEvictedKeysTotal, {}, target), v)],
      },
    },
    {
      alert: 'RedisMemoryFragmentationHigh',
      severity: 'warning',
      // The ratio alone misleads on a small Redis (a few MB read 5 or more from allocator overhead):
      // the waste in bytes must be worth acting on too.
      expr: `${sel(m.redisMemFragmentationRatio, {}, s)} > ${num(frag)} and ${sel(m.redisMemFragmentationBytes, {}, s)} > ${num(fragBytes)}`,
      for: '15m',
      summary: `Redis memory fragmentation above ${num(frag)}`,
      description: `Redis behind {{ $labels.instance }} holds {{ $value | humanize }} times the memory it uses (more than ${bytes(fragBytes)} wasted): the host runs out of memory before maxmemory is reached.`,
      dashboard: { key: 'redis-queue', panel: 'Memory fragmentation' },
      runbook: {
        meaning:
          'The Redis process holds much more memory (RSS) than its data needs, typically after a large backlog was drained: the allocator keeps the freed pages. The host or container limit can be hit, and Redis OOM-killed, while used memory looks fine.',
        confirm: [
          sel(m.redisMemoryUsedBytes, {}, s),
          sel(m.redisMemoryUsedRssBytes, {}, s),
          sel(m.redisMemFragmentationBytes, {}, s),
        ],
        mitigate: [
          'Run `MEMORY PURGE` to return freed pages to the system (jemalloc), then watch the ratio.',
          'Enable active defragmentation: `CONFIG SET activedefrag yes`.',
          'If neither helps and memory is tight, restart Redis at a quiet moment (after a save, with the queue drained).',
        ],
        followUp: ['Check `MEMORY DOCTOR` and size the host for the peak backlog, not the steady state.'],
      },
      probe: {
        op: '>',
        threshold: frag,
        labels: target,
        series: (v) => [
          gauge(sel(m.redisMemFragmentationRatio, {}, target), v),
          gauge(sel(m.redisMemFragmentationBytes, {}, target), 2 * fragBytes + 1e9),
        ],
      },
    },
  ];
  return [...own, ...redisPersistenceAlerts(cfg), ...redisReplicationAlerts(cfg)];
}
