/**
 * PostgreSQL server health, under the names, types, labels and units prometheus-community's
 * postgres_exporter exposes by default, so its community dashboards keep working beside ours.
 * Part of the metric catalog: spread into `metrics` (config/metrics.ts).
 */
export const postgresExporterMetrics = {} as const;
