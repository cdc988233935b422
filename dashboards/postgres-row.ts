/**
 * The PostgreSQL server row of the worker dashboard, from postgres_exporter: is it reachable,
 * connections by state against max_connections, commits, rollbacks, deadlocks, size and growth.
 *
 * Which series: `selectors.postgres` narrowed by the dashboard's `$job` and `$instance`, which
 * offer the postgres_exporter job beside the workers' (the dashboard's components are worker and
 * postgres; its worker-side `up` keeps the worker selector, see worker.ts). Which databases: every one but the templates (and 0.11's
 * shared-objects row), one line each by `datname`. The worker's database name lives in its
 * DATABASE_URL, which the mixin never sees, so a fixed filter would guess; a `$datname` variable
 * would be one more dropdown for a server that normally holds one application database, and
 * per-database legends show the same at a glance. Every query aggregates by `datname` or
 * `state` (or takes `max`), so the `server` label that newer exporters drop changes nothing.
 */
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { bytes } from '../alerts/humanize.js';
import { NON_USER_DATABASES } from '../config/matchers.js';
import { metrics as m } from '../config/metrics.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { agg, rate, sel } from '../config/promql.js';
import { ANY_RATE, higherIsWorse, row, statPanel, steps, timeSeries, upDownMappings } from './panels.js';
import { varScope } from './scope.js';

/** Templates and the shared-objects row: nobody's data (the same filter as the Postgres alerts). */
const USER_DBS = { datname: NON_USER_DATABASES } as const;
/** Window of the growth panel: short enough to show a burst, long enough to smooth checkpoints. */
const GROWTH_WINDOW = '1h';

export function postgresQueries(cfg: MixinConfig) {
  const s = varScope(cfg, 'postgres');
  const commits = agg(
    'sum',
    m.pgStatDatabaseXactCommit,
    ['datname'],
    rate(sel(m.pgStatDatabaseXactCommit, USER_DBS, s)),
  );
  const rollbacks = agg(
    'sum',
    m.pgStatDatabaseXactRollback,
    ['datname'],
    rate(sel(m.pgStatDatabaseXactRollback, USER_DBS, s)),
  );
  return {
    up: `min (${sel(m.pgUp, {}, s)})`,
    connectionsByState: agg('sum', m.pgStatActivityCount, ['state'], sel(m.pgStatActivityCount, USER_DBS, s)),
    maxConnections: `max (${sel(m.pgSettingsMaxConnections, {}, s)})`,
    commits,
    // No series (a gap), not 0 and not NaN, for a database with no transaction in the window:
    // there is no ratio (0/0 came out as NaN in legends and tooltips).
    rollbackRatio: `${rollbacks} / ((${commits} + ${rollbacks}) > 0)`,
    // Every database has a row in pg_stat_database from its creation: 0 is the truth, not a fallback.
    deadlocks: agg('sum', m.pgStatDatabaseDeadlocks, ['datname'], rate(sel(m.pgStatDatabaseDeadlocks, USER_DBS, s))),
    size: agg('sum', m.pgDatabaseSizeBytes, ['datname'], sel(m.pgDatabaseSizeBytes, USER_DBS, s)),
    growthPerDay: `${agg(
      'sum',
      m.pgDatabaseSizeBytes,
      ['datname'],
      `deriv(${sel(m.pgDatabaseSizeBytes, USER_DBS, s)}[${GROWTH_WINDOW}])`,
    )} * 86400`,
  };
}

/** Appends the row to the worker dashboard's builder. */
export function withPostgresRow(b: DashboardBuilder, cfg: MixinConfig): DashboardBuilder {
  const q = postgresQueries(cfg);
  const t = cfg.thresholds.postgres;
  const maxConn = 'max_connections';
  return b
    .withRow(row('PostgreSQL server'))
    .withPanel(
      statPanel({
        title: 'PostgreSQL reachable',
        description: `Whether postgres_exporter can connect to PostgreSQL (${m.pgUp.name}). DOWN: the server refuses or does not answer (PostgresDown). No data: the exporter itself is not scraped (MonitoringTargetDown).`,
        unit: 'bool',
        mappings: upDownMappings,
        thresholds: steps('red', [1, 'green']),
        queries: [{ expr: q.up, instant: true }],
        w: 4,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Server connections by state',
        description: `Connections to PostgreSQL by state (all clients: workers, result service, tools) against ${maxConn}. PostgresTooManyConnections warns above ${t.connectionsWarningRatio} of ${maxConn}; many "idle in transaction" mean a client leaks transactions.`,
        unit: 'short',
        min: 0,
        queries: [
          { expr: q.connectionsByState, legend: '{{state}}' },
          { expr: q.maxConnections, legend: maxConn },
        ],
        w: 10,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Transactions committed/s',
        description: 'Transactions committed per second, by database (pg_stat_database.xact_commit).',
        unit: 'ops',
        min: 0,
        queries: [{ expr: q.commits, legend: '{{datname}}' }],
        w: 10,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Rollback ratio',
        description:
          'Rolled-back transactions over all finished ones, by database. A gap: no transaction in the window. Failed vote batches roll back; so do client errors.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [{ expr: q.rollbackRatio, legend: '{{datname}}' }],
        w: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Deadlocks/s',
        description: 'Deadlocks PostgreSQL detected (and broke by aborting a transaction) per second, by database.',
        unit: 'ops',
        min: 0,
        thresholds: steps('green', [ANY_RATE, 'red']),
        queries: [{ expr: q.deadlocks, legend: '{{datname}}' }],
        w: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Database size',
        description: 'Disk space used by each database (pg_database_size), templates left out.',
        unit: 'bytes',
        min: 0,
        queries: [{ expr: q.size, legend: '{{datname}}' }],
        w: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Database growth/day',
        description: `How fast each database grows, in bytes per day (linear trend over ${GROWTH_WINDOW}). PostgresDatabaseGrowingFast warns above ${bytes(t.sizeGrowthWarningBytesPerDay)}/day (thresholds.postgres.sizeGrowthWarningBytesPerDay), as a trend over 6h.`,
        unit: 'bytes',
        thresholds: higherIsWorse(t.sizeGrowthWarningBytesPerDay, 2 * t.sizeGrowthWarningBytesPerDay),
        queries: [{ expr: q.growthPerDay, legend: '{{datname}}' }],
        w: 24,
      }),
    );
}
