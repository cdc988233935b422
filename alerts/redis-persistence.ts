/**
 * Redis persistence alerts: an RDB snapshot or an AOF write that failed. Votes wait in Redis
 * until a worker stores them, so a Redis that cannot persist loses every queued vote when it
 * restarts — and with the defaults (stop-writes-on-bgsave-error, a failing AOF) it refuses writes
 * at once, so the vote service answers 503.
 */

import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { sel } from '../config/promql.js';
import type { AlertSpec } from './alert-spec.js';
import { gauge } from './probe-series.js';
import { scopeLabels } from './scope-labels.js';

export function redisPersistenceAlerts(cfg: MixinConfig): AlertSpec[] {
  const s = cfg.selectors.exporter;
  const target = { ...scopeLabels(s, 'selectors.exporter'), instance: 'exporter-1' };
  // 1 while the last save or write succeeded, 0 after a failure: the alert fires on 0.
  const failed = {
    op: '<' as const,
    threshold: 0.5,
    quiet: 1,
    firing: 0,
    labels: target,
  };
  return [
    {
      alert: 'RedisRdbBgsaveFailed',
      severity: 'critical',
      expr: `${sel(m.redisRdbLastBgsaveStatus, {}, s)} == 0`,
      // Redis retries a failed BGSAVE after 5 s: a single failure that the retry mends does not page.
      for: cfg.alerts.downFor,
      summary: 'Redis cannot write its RDB snapshot',
      description:
        'The last BGSAVE of Redis behind {{ $labels.instance }} failed: with save points and stop-writes-on-bgsave-error (the defaults) Redis refuses every write, so votes get 503; otherwise queued votes are lost if Redis restarts.',
      dashboard: { key: 'redis-queue', panel: 'Persistence status' },
      runbook: {
        meaning:
          'Redis could not save its RDB snapshot (disk full, no permission on the dump directory, fork refused for lack of memory). With save points and stop-writes-on-bgsave-error yes (the defaults) it answers every write with MISCONF: no vote can be enqueued. Without save points (a failed manual BGSAVE) it keeps accepting writes, but the backup is missing.',
        confirm: [
          sel(m.redisRdbChangesSinceLastSave, {}, s),
          sel(m.redisRdbLastSaveTimestampSeconds, {}, s),
          sel(m.redisMemoryUsedRssBytes, {}, s),
        ],
        mitigate: [
          'Read the Redis log for the BGSAVE error ("Background saving error", "Can\'t save in background: fork").',
          'Free disk space in the dump directory (`CONFIG GET dir`) or fix its permissions, then run `BGSAVE` and check `INFO persistence` (rdb_last_bgsave_status:ok).',
          'If fork fails for lack of memory, set vm.overcommit_memory=1 on the host or free memory.',
          'Only if the disk cannot be fixed quickly and losing queued votes on a restart is acceptable: `CONFIG SET stop-writes-on-bgsave-error no` to accept votes again.',
        ],
        followUp: [
          'Alert on disk space of the Redis volume before it fills.',
          'Check that votes refused with 503 while writes were stopped were retried by clients.',
        ],
      },
      probe: { ...failed, series: (v) => [gauge(sel(m.redisRdbLastBgsaveStatus, {}, target), v)] },
    },
    {
      alert: 'RedisAofWriteFailed',
      severity: 'critical',
      expr: `${sel(m.redisAofLastWriteStatus, {}, s)} == 0`,
      // Redis retries the AOF write every second; a write that stays failed for this long does not heal.
      for: cfg.alerts.downFor,
      summary: 'Redis cannot write its append-only file',
      description:
        'The last write to the AOF of Redis behind {{ $labels.instance }} failed: Redis refuses writes until it succeeds, so votes get 503, and what it accepted may be missing from the file.',
      dashboard: { key: 'redis-queue', panel: 'Persistence status' },
      runbook: {
        meaning:
          'Redis could not append to its AOF (disk full or read-only, I/O error). It refuses writes until a write succeeds again: the vote service cannot enqueue.',
        confirm: [sel(m.redisAofEnabled, {}, s)],
        mitigate: [
          'Read the Redis log for the AOF error ("Error writing to the AOF file").',
          'Free disk space in the AOF directory (`CONFIG GET dir`, `CONFIG GET appenddirname`) or remount it read-write; Redis resumes by itself once a write succeeds.',
        ],
        followUp: [
          'Alert on disk space of the Redis volume before it fills.',
          'After recovery, compare votes accepted and votes stored around the outage.',
        ],
      },
      probe: { ...failed, series: (v) => [gauge(sel(m.redisAofLastWriteStatus, {}, target), v)] },
    },
  ];
}
