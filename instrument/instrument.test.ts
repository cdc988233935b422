// Catalog → prom-client: names, labels, buckets and the zero series the alerts rely on come from
// config/metrics.ts, and nothing outside the catalog compiles (the @ts-expect-error lines are the
// type test: `npm run typecheck` fails if any of them stops being an error).
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HTTP_DURATION_BUCKETS, metrics } from '../config/metrics.js';
import { httpMetrics } from './http.js';
import { clearMetric, createMetric, metricByName, setCounter } from './metric.js';
import { enqueueFailureReason, queueConsumerMetrics, queueProducerMetrics } from './queue.js';
import { serviceRegistry } from './registry.js';

describe('createMetric', () => {
  it('creates exactly the catalog entry: name, help, type, labels and buckets', async () => {
    const r = new Registry();
    createMetric(metrics.httpRequestDurationSeconds, r).observe({ method: 'GET', route: '/', status: '200' }, 0.2);
    const json = (await r.getMetricsAsJSON())[0]!;
    expect(json).toMatchObject({
      name: 'http_request_duration_seconds',
      type: 'histogram',
      help: metrics.httpRequestDurationSeconds.help,
    });
    const les = (json.values as Array<{ labels: { le?: number } }>)
      .map((v) => v.labels.le)
      .filter((le) => le !== undefined);
    expect(les).toEqual([...HTTP_DURATION_BUCKETS, '+Inf']);
  });

  it('refuses what the catalog lacks, at compile time and (for plain JavaScript) at run time', () => {
    const r = new Registry();
    const votes = createMetric(metrics.votesTotal, r);
    votes.inc({ option: 'cats' });
    // @ts-expect-error a label the catalog entry does not declare
    expect(() => votes.inc({ optoin: 'cats' })).toThrow(/Added label "optoin" is not included/);
    const handWritten = {
      name: 'my_votes_total',
      type: 'counter',
      help: 'h',
      labels: [],
      unit: 'ops',
      sources: ['vote'],
    } as const;
    // @ts-expect-error a hand-written definition is not a catalog entry (and JavaScript callers are refused at run time)
    expect(() => createMetric(handWritten, r)).toThrow(/"my_votes_total" is not an entry of the voting-mixin catalog/);
    // @ts-expect-error a name the catalog does not have
    expect(() => metricByName('votes_totl', r)).toThrow(
      /Unknown metric "votes_totl": it is not in the voting-mixin catalog/,
    );
    const byName = new Registry();
    metricByName('queue_enqueued_total', byName);
    expect(byName.getSingleMetric('queue_enqueued_total')).toBeDefined();
  });

  it('reads gauges at scrape time through collect, and clears or sets series', async () => {
    const r = new Registry();
    let idle = 3;
    createMetric(metrics.workerDbPoolConnections, r, {
      collect() {
        this.set({ state: 'idle' }, idle);
      },
    });
    idle = 5;
    expect(await r.metrics()).toContain('worker_db_pool_connections{state="idle"} 5');
    const up = createMetric(metrics.redisUp, r);
    up.set(1);
    clearMetric(up);
    expect(await r.metrics()).not.toMatch(/^redis_up /m);
    const hits = createMetric(metrics.redisKeyspaceHitsTotal, r);
    setCounter(hits, 42);
    setCounter(hits, 40);
    expect(await r.metrics()).toMatch(/^redis_keyspace_hits_total 40$/m);
  });
});

describe('queue helpers', () => {
  it('pre-initialise every series at zero and count what the producer and consumer did', async () => {
    const r = new Registry();
    const p = queueProducerMetrics(r, { queue: 'votes' });
    const c = queueConsumerMetrics(r, { queue: 'votes' });
    let text = await r.metrics();
    for (const s of [
      'queue_enqueued_total{queue="votes"} 0',
      'vote_enqueue_failures_total{reason="timeout"} 0',
      'queue_dequeued_total{queue="votes"} 0',
      'worker_votes_processed_total{result="failed"} 0',
      'worker_recovered_items_total{queue="votes"} 0',
    ]) {
      expect(text).toContain(s);
    }
    p.enqueued();
    p.enqueued(2);
    p.failed(enqueueFailureReason(new Error('Command timed out'), 'ready'));
    c.dequeued(3);
    c.processed('ok', 2);
    c.processed('invalid');
    c.batch(2, 0.01);
    c.batch(0, 0.002);
    c.succeeded(1_700_000_000_000);
    text = await r.metrics();
    expect(text).toContain('queue_enqueued_total{queue="votes"} 3');
    expect(text).toContain('vote_enqueue_failures_total{reason="timeout"} 1');
    expect(text).toContain('worker_votes_processed_total{result="ok"} 2');
    expect(text).toContain('worker_batch_size_count 1');
    expect(text).toContain('worker_processing_duration_seconds_count 2');
    expect(text).toContain('worker_last_success_timestamp_seconds 1700000000');
  });

  it('refuses values outside the closed label sets, and series only Prometheus writes', () => {
    const r = new Registry();
    // @ts-expect-error not a reason
    expect(() => queueProducerMetrics(r, { queue: 'q' }).failed('bogus')).toThrow(
      /"bogus" is not an enqueue failure reason/,
    );
    // @ts-expect-error not a result
    expect(() => queueConsumerMetrics(r, { queue: 'q' }).processed('meh')).toThrow(/"meh" is not a result/);
    expect(() => createMetric(metrics.up, new Registry())).toThrow(/"up" is written by Prometheus/);
    expect(() => metricByName('ALERTS', new Registry())).toThrow(/written by Prometheus/);
  });

  it('serves several queues, and several apps, on one registry', async () => {
    const r = new Registry();
    queueProducerMetrics(r, { queue: 'a' }).enqueued(2);
    queueProducerMetrics(r, { queue: 'b' }).enqueued();
    queueConsumerMetrics(r, { queue: 'a' }).dequeued(1);
    queueConsumerMetrics(r, { queue: 'b' }).dequeued(3);
    httpMetrics(r);
    httpMetrics(r);
    const text = await r.metrics();
    expect(text).toContain('queue_enqueued_total{queue="a"} 2');
    expect(text).toContain('queue_enqueued_total{queue="b"} 1');
    expect(text).toContain('queue_dequeued_total{queue="b"} 3');
  });

  it('classifies enqueue failures into a closed set', () => {
    expect(enqueueFailureReason(new Error("Stream isn't writeable"), 'reconnecting')).toBe('unavailable');
    expect(enqueueFailureReason(new Error('OOM command not allowed'), 'ready')).toBe('error');
  });
});

describe('serviceRegistry', () => {
  it('has the process metrics the dashboards use and none of the *_total gauges promtool rejects', async () => {
    const text = await serviceRegistry().metrics();
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
    expect(text).not.toMatch(/^# TYPE \w+_total gauge/m);
    expect(await serviceRegistry({ defaultMetrics: false }).metrics()).toBe('\n');
  });
});

describe('the catalog', () => {
  it('cannot be changed from JavaScript: entries, their labels and the catalog itself are frozen', () => {
    const entry = metrics.votesTotal as unknown as { name: string; labels: string[] };
    expect(() => {
      entry.name = 'evil_total';
    }).toThrow(TypeError);
    expect(() => entry.labels.push('user_id')).toThrow(TypeError);
    expect(() => {
      (metrics as unknown as Record<string, unknown>).votesTotal = {};
    }).toThrow(TypeError);
    expect(metrics.votesTotal.labels).toEqual(['option']);
  });
});
