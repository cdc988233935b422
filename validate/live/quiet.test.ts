// relaxQuery: the rewrite `verify` runs on an empty query to tell "nothing happened" from "wrong
// query". Pure; verify.test.ts runs the verdicts against a real Prometheus.
import { describe, expect, it } from 'vitest';
import { metrics } from '../../config/metrics.js';
import { type AbsenceRules, catalogAbsence, relaxQuery } from './quiet.js';

describe('relaxQuery', () => {
  it('drops the matchers the catalog marks absentUntil, keeping the rest of the selector', () => {
    const r = relaxQuery(
      'sum(rate(http_requests_total{job="vote", status=~"5.."}[5m])) / sum(rate(http_requests_total{job="vote"}[5m]))',
    )!;
    expect(r.expr).toBe(
      'sum(rate(http_requests_total{job="vote"}[5m])) / sum(rate(http_requests_total{job="vote"}[5m]))',
    );
    expect(r.changed).toBe(true);
    expect(r.events).toEqual([{ matcher: 'status=~"5.."', event: metrics.httpRequestsTotal.absentUntil!.event }]);
    expect(r.selectors.map((s) => s.text)).toEqual([
      'http_requests_total{job="vote"}',
      'http_requests_total{job="vote"}',
    ]);
  });

  it('covers every series of a histogram and keeps offsets', () => {
    const r = relaxQuery('rate(http_request_duration_seconds_count{status="500", route="/vote"}[5m] offset 1m)')!;
    expect(r.expr).toBe('rate(http_request_duration_seconds_count{route="/vote"}[5m] offset 1m)');
  });

  it('turns comparison filters into bool comparisons, and leaves bool ones and arithmetic alone', () => {
    const r = relaxQuery('up{job=~"vote|worker"} == 0')!;
    expect(r.expr).toBe('up{job=~"vote|worker"} == bool 0');
    expect(r.filters).toEqual(['== 0']);
    expect(relaxQuery('a / (b > 0) + (c > bool 1)')!.expr).toBe('a / (b > bool 0) + (c > bool 1)');
    const plain = relaxQuery('sum by (job) (rate(x_total{job="w"}[1m])) / 2')!;
    expect(plain.changed).toBe(false);
    expect(plain.expr).toBe('sum by (job) (rate(x_total{job="w"}[1m])) / 2');
  });

  it('never relaxes a label the catalog does not mark, nor a metric outside the catalog', () => {
    // worker results are pre-created by voting-mixin/instrument: result="failed" must exist.
    const worker = relaxQuery('worker_votes_processed_total{job="worker", result="failed"}')!;
    expect(worker.changed).toBe(false);
    expect(relaxQuery('my_errors_total{status="500"}')!.changed).toBe(false);
    expect(catalogAbsence('votes_total')).toBeUndefined();
  });

  it('marks metrics that exist only after an event (ALERTS) and takes other rules when given', () => {
    const r = relaxQuery('count(ALERTS{alertstate="firing", mixin="voting-mixin"})')!;
    expect(r.expr).toBe('count(ALERTS{})');
    expect(r.selectors[0]!.wholeMetric?.event).toBe(metrics.alertsFiring.absentUntil!.event);
    const rules: AbsenceRules = (n) =>
      n === 'job:errors:ratio' ? { labels: [], wholeMetric: true, event: 'its rule has data' } : undefined;
    expect(relaxQuery('max(job:errors:ratio{job="vote"})', rules)!.selectors[0]).toMatchObject({
      name: 'job:errors:ratio',
      text: 'job:errors:ratio{job="vote"}',
      wholeMetric: { event: 'its rule has data' },
    });
  });

  it('marks metrics only some set-ups expose (onlyWhen) as possibly absent altogether', () => {
    const r = relaxQuery('min(redis_master_link_up{job="redis-queue-exporter"})')!;
    expect(r.changed).toBe(false);
    expect(r.selectors[0]!.wholeMetric?.event).toBe(metrics.redisMasterLinkUp.onlyWhen);
    // Always exposed, so never excused: a missing redis_connected_slaves stays a finding.
    expect(catalogAbsence(metrics.redisConnectedSlaves.name)).toBeUndefined();
  });

  it('returns undefined for what does not parse', () => {
    expect(relaxQuery('sum(rate(up[5m])')).toBeUndefined();
  });
});
