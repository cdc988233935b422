/**
 * PostgreSQL server health, under the names, types, labels and units prometheus-community's
 * postgres_exporter exposes by default, so its community dashboards keep working beside ours.
 * Part of the metric catalog: spread into `metrics` (config/metrics.ts).
 *
 * Held to postgres_exporter 0.11.1 (Debian 12's `prometheus-postgres-exporter`, default collectors
 * `database` and `bgwriter` plus the built-in metric maps) by test/postgres-live.test.ts, which
 * scrapes the real exporter: every family here exists with this type and these label names.
 * The names are the exporter's even where they break Prometheus conventions (counters without
 * `_total`): `POSTGRES_EXPORTER_NAMES` lists them for the naming test.
 *
 * Skew with newer upstream releases, and why the queries survive it (they aggregate `by (datname)`
 * or `by (state)`, or take `max`, never matching `server`, `datid` or other labels):
 *  - 0.12–0.13 moved `pg_database_size_bytes` and `pg_stat_database_*` into the collector package:
 *    no `server` label any more; the shared-objects row (datid 0) appears as `datname=""` in 0.11
 *    and as "unknown" in early 0.13 releases — the panels leave both out.
 *  - 0.16 adds `pg_stat_database_active_time_seconds_total` and `pg_database_connection_limit`.
 *  - 0.17 adds wait-event/backend labels to `pg_stat_activity_*`; 0.18 stops counting the
 *    exporter's own session there (0.11 counts it: one `active` connection to `postgres`).
 *  - 0.20 moves `pg_settings_*` and `pg_stat_activity_*` to standalone collectors (no `server`,
 *    no `--metric-prefix`, no `--disable-default-metrics`; `--disable-settings-metrics` is gone:
 *    `--no-collector.settings`).
 *  - unreleased: 64-bit counters wrap at 2^53 (one false rate spike on upgrade).
 * `pg_up` and the names below are the same in all of them.
 */
import { type CatalogMetric, def, type Unit } from './metric-def.js';

/** A family postgres_exporter writes. */
function pg<const N extends string, const T extends 'gauge' | 'counter', const L extends string = never>(
  name: N,
  type: T,
  help: string,
  unit: Unit,
  labels: readonly L[] = [],
): CatalogMetric<N, T, L> {
  return def({ name, type, help, unit, labels, sources: ['postgres'] });
}

/** The labels of a pg_stat_database row (0.11; newer releases drop `server`). */
const DB_ROW = ['datid', 'datname', 'server'] as const;

export const postgresExporterMetrics = {
  pgUp: pg(
    'pg_up',
    'gauge',
    'Whether the last scrape could connect to PostgreSQL (1) or not (0); the exporter itself answers either way.',
    'bool',
  ),
  pgStatActivityCount: pg(
    'pg_stat_activity_count',
    'gauge',
    'Server connections (backends) by database and state (active, idle, idle in transaction…), from pg_stat_activity.',
    'short',
    ['datname', 'state', 'server'],
  ),
  pgSettingsMaxConnections: pg(
    'pg_settings_max_connections',
    'gauge',
    'The server setting max_connections: connections PostgreSQL accepts in all (superuser-reserved ones included).',
    'short',
    ['server'],
  ),
  pgStatDatabaseXactCommit: pg(
    'pg_stat_database_xact_commit',
    'counter',
    'Transactions committed in the database (pg_stat_database.xact_commit).',
    'ops',
    DB_ROW,
  ),
  pgStatDatabaseXactRollback: pg(
    'pg_stat_database_xact_rollback',
    'counter',
    'Transactions rolled back in the database (pg_stat_database.xact_rollback).',
    'ops',
    DB_ROW,
  ),
  pgStatDatabaseDeadlocks: pg(
    'pg_stat_database_deadlocks',
    'counter',
    'Deadlocks detected in the database (pg_stat_database.deadlocks).',
    'ops',
    DB_ROW,
  ),
  pgDatabaseSizeBytes: pg(
    'pg_database_size_bytes',
    'gauge',
    'Disk space used by the database (pg_database_size), templates included.',
    'bytes',
    ['datname', 'server'],
  ),
} as const;

/** postgres_exporter's names, kept as it writes them (counters without `_total`). */
export const POSTGRES_EXPORTER_NAMES: ReadonlySet<string> = new Set(
  Object.values(postgresExporterMetrics).map((m) => m.name),
);
