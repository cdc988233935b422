/**
 * PostgreSQL server alerts, from postgres_exporter (config/metrics-postgres.ts): the server down,
 * connections near max_connections, a database growing fast.
 *
 * "PostgreSQL is down" and "we cannot see PostgreSQL" are told apart on purpose: `pg_up == 0` is
 * the exporter answering and saying the server refuses it (votes are not being stored: critical);
 * the exporter itself not scraped is `up{<postgres selector>} == 0`, which MonitoringTargetDown
 * already reports (a warning: the server may be fine, we are blind to it). Expressions aggregate
 * by job, instance and datname only, so the `server` label 0.11 adds and newer releases drop
 * changes nothing.
 */

import { NON_USER_DATABASES } from '../config/matchers.js';
import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { agg, sel, streamSel } from '../config/promql.js';
import type { AlertSpec } from './alert-spec.js';
import { bytes, num, pct } from './humanize.js';
import { counter, gauge, zeroFires } from './probe-series.js';
import { pick, scopeLabels } from './scope-labels.js';

/** Window of the growth rate: long enough that a VACUUM, a batch import or a checkpoint is no trend. */
export const GROWTH_WINDOW = '6h';
const DAY_SECONDS = 86400;

export function postgresAlerts(cfg: MixinConfig): AlertSpec[] {
  const t = cfg.thresholds.postgres;
  const s = cfg.selectors.postgres;
  const target = { ...scopeLabels(s, 'selectors.postgres'), instance: 'postgres-exporter-1' };
  const server = '127.0.0.1:5432';
  const byTarget = pick(target, ['job', 'instance']);

  const connections = agg(
    'sum',
    m.pgStatActivityCount,
    ['job', 'instance'],
    sel(m.pgStatActivityCount, { datname: NON_USER_DATABASES }, s),
  );
  // `max`: one value per exporter, whatever labels its release puts on the setting.
  const maxConnections = agg(
    'max',
    m.pgSettingsMaxConnections,
    ['job', 'instance'],
    sel(m.pgSettingsMaxConnections, {}, s),
  );
  const growth = `${agg(
    'max',
    m.pgDatabaseSizeBytes,
    ['job', 'instance', 'datname'],
    `deriv(${sel(m.pgDatabaseSizeBytes, { datname: NON_USER_DATABASES }, s)}[${GROWTH_WINDOW}])`,
  )} * ${DAY_SECONDS}`;

  return [
    {
      alert: 'PostgresDown',
      severity: 'critical',
      expr: `${sel(m.pgUp, {}, s)} == 0`,
      for: cfg.alerts.downFor,
      summary: 'PostgreSQL is down',
      description:
        'postgres_exporter {{ $labels.instance }} answers but cannot connect to PostgreSQL: workers cannot store votes (they retry; the queue grows).',
      dashboard: { key: 'worker', panel: 'PostgreSQL reachable' },
      runbook: {
        meaning:
          'postgres_exporter cannot connect to PostgreSQL: the server is down, refuses connections (max_connections reached, authentication) or is unreachable from it. Votes stay in the queue until it is back. If instead the exporter itself cannot be scraped, MonitoringTargetDown fires for its job and this alert stays silent: PostgreSQL may then be fine.',
        confirm: [sel(m.up, {}, s), `rate(${sel(m.workerVoteRetriesTotal, {}, cfg.selectors.worker)}[5m])`],
        mitigate: [
          'Check the postgres process or container and its log (out of disk, crash, recovery in progress).',
          `Read the exporter's own error (${streamSel(s)} |= "error"): connection refused, authentication, timeout.`,
          'Check `pg_isready -h <host>` from the exporter and the worker hosts.',
          'If connections are refused as too many, see PostgresTooManyConnections.',
        ],
        followUp: ['Check that the queue drained after PostgreSQL came back (WorkerStalled, QueueBacklogHigh).'],
      },
      probe: zeroFires(target, sel(m.pgUp, {}, target)),
    },
    {
      alert: 'PostgresTooManyConnections',
      severity: 'warning',
      expr: `${connections} / ${maxConnections} > ${num(t.connectionsWarningRatio)}`,
      for: cfg.alerts.defaultFor,
      summary: `PostgreSQL connections above ${pct(t.connectionsWarningRatio)} of max_connections`,
      description:
        'PostgreSQL behind {{ $labels.instance }} has {{ $value | humanizePercentage }} of max_connections in use; at 100 % new connections (a restarted worker, the result service) are refused.',
      dashboard: { key: 'worker', panel: 'Server connections by state' },
      runbook: {
        meaning:
          'PostgreSQL is close to refusing new connections. Superuser-reserved slots count in max_connections, so ordinary clients are refused a little before 100 %.',
        confirm: [
          agg('sum', m.pgStatActivityCount, ['datname', 'state'], sel(m.pgStatActivityCount, {}, s)),
          sel(m.workerDbPoolConnections, {}, cfg.selectors.worker),
        ],
        mitigate: [
          'Find who holds the connections: `SELECT datname, usename, application_name, state, count(*) FROM pg_stat_activity GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC`.',
          'Many "idle in transaction": a client leaks transactions; terminate them (pg_terminate_backend) and fix the client.',
          'Lower the worker pool size or the number of workers, or put PgBouncer in front.',
        ],
        followUp: ['Size max_connections against the sum of all pools (workers × pool size, result service, tools).'],
      },
      probe: {
        op: '>',
        threshold: t.connectionsWarningRatio,
        max: 1,
        labels: byTarget,
        series: (v) => [
          gauge(sel(m.pgStatActivityCount, { datname: 'votes', state: 'active', server }, target), 100 * v),
          gauge(sel(m.pgStatActivityCount, { datname: 'votes', state: 'idle', server }, target), 0),
          gauge(sel(m.pgSettingsMaxConnections, { server }, target), 100),
        ],
      },
    },
    {
      alert: 'PostgresDatabaseGrowingFast',
      severity: 'warning',
      expr: `${growth} > ${num(t.sizeGrowthWarningBytesPerDay)}`,
      // A trend, not an incident: it must hold for an hour before anyone is told.
      for: '1h',
      summary: `PostgreSQL database growing faster than ${bytes(t.sizeGrowthWarningBytesPerDay)}/day`,
      description: `Database {{ $labels.datname }} behind {{ $labels.instance }} grows by {{ $value | humanize }}B/day (trend over ${GROWTH_WINDOW}); threshold ${bytes(t.sizeGrowthWarningBytesPerDay)}/day.`,
      dashboard: { key: 'worker', panel: 'Database growth/day' },
      runbook: {
        meaning: `A database grows faster than ${bytes(t.sizeGrowthWarningBytesPerDay)} a day over the last ${GROWTH_WINDOW}: at that pace the disk fills, or the votes table holds far more than the votes cast (a replay without dedupe, bloat).`,
        confirm: [
          agg('sum', m.pgDatabaseSizeBytes, ['datname'], sel(m.pgDatabaseSizeBytes, {}, s)),
          agg('sum', m.pgStatDatabaseXactCommit, ['datname'], `rate(${sel(m.pgStatDatabaseXactCommit, {}, s)}[1h])`),
        ],
        mitigate: [
          'Compare with the vote rate: a flash sale grows the votes table legitimately.',
          'Look for bloat (dead tuples, `pg_stat_user_tables.n_dead_tup`) and whether autovacuum keeps up.',
          'Check free disk on the PostgreSQL volume and extend it if the growth is legitimate.',
        ],
        followUp: [
          `Raise thresholds.postgres.sizeGrowthWarningBytesPerDay if this pace is the new normal (now ${bytes(t.sizeGrowthWarningBytesPerDay)}).`,
        ],
      },
      probe: {
        op: '>',
        threshold: t.sizeGrowthWarningBytesPerDay,
        labels: { ...byTarget, datname: 'votes' },
        // Bytes per day v as a size growing linearly every minute.
        series: (v) => [counter(sel(m.pgDatabaseSizeBytes, { datname: 'votes', server }, target), v / 1440)],
      },
    },
  ];
}
