import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  allMetrics,
  allRecordings,
  bucketSel,
  durationSeconds,
  formatDuration,
  histogramQuantile,
  type LabelsOf,
  metrics,
  re,
  sel,
  seriesIndex,
} from './index.js';
import { POSTGRES_EXPORTER_NAMES } from './metrics-postgres.js';
import { REDIS_EXPORTER_NAMES } from './metrics-redis.js';

describe('metric catalog', () => {
  it('follows Prometheus naming: _total only on counters, base units', () => {
    for (const m of allMetrics) {
      expect(m.name, m.name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      // redis_exporter's names are kept as they are (a counter without _total, a gauge with it).
      if (REDIS_EXPORTER_NAMES.has(m.name)) expect(m.name, m.name).toMatch(/^redis_/);
      // So are postgres_exporter's (pg_stat_database_* counters without _total).
      else if (POSTGRES_EXPORTER_NAMES.has(m.name)) expect(m.name, m.name).toMatch(/^pg_/);
      else if (m.type === 'counter') expect(m.name, m.name).toMatch(/_total$/);
      else expect(m.name, m.name).not.toMatch(/_total$/);
      expect(m.name, m.name).not.toMatch(/_(milliseconds|ms|kilobytes|mb)(_|$)/);
      if (m.type === 'histogram') expect(m.buckets?.length, m.name).toBeGreaterThan(3);
      expect(m.help.length, m.name).toBeGreaterThan(10);
    }
  });

  it('has unique names, histogram series included', () => {
    const names = allMetrics.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(seriesIndex.get('http_request_duration_seconds_bucket')).toBe(metrics.httpRequestDurationSeconds);
  });

  it('recording rule names follow level:metric:operations', () => {
    for (const r of allRecordings()) expect(r.name).toMatch(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
  });
});

describe('typed selectors', () => {
  it('renders matchers, scope first and panel matchers winning', () => {
    expect(sel(metrics.httpRequestsTotal, { status: re('5..') }, { job: 'vote' })).toBe(
      'http_requests_total{job="vote", status=~"5.."}',
    );
    expect(sel(metrics.up, { job: 'x' }, { job: 'vote' })).toBe('up{job="x"}');
    expect(bucketSel(metrics.httpRequestDurationSeconds, { le: '0.5' })).toBe(
      'http_request_duration_seconds_bucket{le="0.5"}',
    );
  });

  it('builds histogram quantiles aggregated by le', () => {
    expect(histogramQuantile(0.95, metrics.httpRequestDurationSeconds, { scope: { job: 'vote' }, by: ['route'] })).toBe(
      'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{job="vote"}[$__rate_interval])))',
    );
  });

  it('rejects a misspelt label or metric at compile time', () => {
    expectTypeOf<LabelsOf<typeof metrics.httpRequestsTotal>>().toEqualTypeOf<'method' | 'route' | 'status'>();
    // Never called: `npm test` runs `tsc` on this file first, and an unused @ts-expect-error is
    // itself an error, so each line below must keep failing to compile for the suite to pass.
    const compileTimeOnly = () => {
      // @ts-expect-error — `stauts` is not a label of http_requests_total
      sel(metrics.httpRequestsTotal, { stauts: '500' });
      // @ts-expect-error — no such catalog entry
      sel(metrics.httpRequestTotal);
      // @ts-expect-error — a counter has no buckets
      bucketSel(metrics.httpRequestsTotal);
      // @ts-expect-error — `option` belongs to votes_total, not to the latency histogram
      histogramQuantile(0.5, metrics.httpRequestDurationSeconds, { by: ['option'] });
    };
    expect(typeof compileTimeOnly).toBe('function');
  });
});

describe('durations', () => {
  it('converts both ways', () => {
    expect(durationSeconds('5m')).toBe(300);
    expect(durationSeconds('250ms')).toBe(0.25);
    expect(formatDuration(300)).toBe('5m');
    expect(formatDuration(90)).toBe('90s');
    expect(formatDuration(86400 * 3)).toBe('3d');
    expect(() => durationSeconds('5 minutes')).toThrow(/Invalid duration "5 minutes"/);
  });
});
