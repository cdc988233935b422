import { EventEmitter } from 'node:events';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { metrics } from 'voting-mixin/config';
import { clearMetric, createMetric, serviceRegistry } from 'voting-mixin/instrument';
import { type ExpositionSink, readRegistry, writeExposition } from './exposition.js';
import { SeriesTable } from './series-table.js';

/** Collects what is written; with `fullEvery`, reports a full buffer every n writes and drains later. */
class Sink extends EventEmitter implements ExpositionSink {
  chunks: string[] = [];
  destroyed = false;
  constructor(private readonly fullEvery = 0) {
    super();
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    if (this.fullEvery && this.chunks.length % this.fullEvery === 0) {
      setImmediate(() => this.emit('drain'));
      return false;
    }
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

// Names here are test fixtures of prom-client's format, not catalog metrics: registered on a bare Registry.
function registry(series: number): Registry {
  const r = serviceRegistry();
  const g = new Gauge({
    name: 'fx_gauge',
    help: 'a gauge\nwith "quotes" and \\',
    labelNames: ['queue', 'key'],
    registers: [r],
  });
  for (let i = 0; i < series; i++) g.set({ queue: 'q', key: `k:${i}` }, i / 3);
  g.set({ queue: 'odd', key: 'line\nbreak "quoted" back\\slash' }, Number.NaN);
  g.set({ queue: 'inf', key: 'x' }, Number.POSITIVE_INFINITY);
  g.set({ queue: 'ninf', key: 'x' }, Number.NEGATIVE_INFINITY);
  new Gauge({ name: 'fx_empty', help: 'no series', labelNames: ['a'], registers: [r] });
  new Gauge({ name: 'fx_plain', help: 'unlabelled', registers: [r] }).set(7);
  new Counter({ name: 'fx_total', help: 'a counter', labelNames: ['reason'], registers: [r] }).inc({ reason: 'x' }, 2);
  const h = new Histogram({ name: 'fx_seconds', help: 'h', labelNames: ['op'], buckets: [0.1, 1], registers: [r] });
  h.observe({ op: 'get' }, 0.5);
  return r;
}

describe('writeExposition', () => {
  it('writes what prom-client registry.metrics() returns, byte for byte', async () => {
    const r = registry(5);
    const sink = new Sink();
    await writeExposition(sink, await readRegistry(r));
    // Process metrics (CPU seconds, heap) change between two reads: compare with them taken out.
    const stable = (t: string) => t.replace(/^(process|nodejs)_\S+ .*$/gm, '');
    expect(stable(sink.text)).toBe(stable(await r.metrics()));
    expect(sink.text).toContain('fx_gauge{queue="odd",key="line\\nbreak \\"quoted\\" back\\\\slash"} Nan');
    expect(sink.text).toContain('# HELP fx_gauge a gauge\\nwith "quotes" and \\\\');
  });

  it('splits a large body into chunks and waits for the sink to drain', async () => {
    const r = new Registry();
    const g = new Gauge({ name: 'fx_gauge', help: 'g', labelNames: ['key'], registers: [r] });
    for (let i = 0; i < 20_000; i++) g.set({ key: `bench:q:${i}` }, i);
    const sink = new Sink(2);
    await writeExposition(sink, await readRegistry(r));
    expect(sink.chunks.length).toBeGreaterThan(5);
    expect(Math.max(...sink.chunks.map((c) => c.length))).toBeLessThan(70 * 1024);
    expect(sink.text).toBe(await r.metrics());
  });

  it('stops writing once the client has gone', async () => {
    const r = new Registry();
    const g = new Gauge({ name: 'fx_gauge', help: 'g', labelNames: ['key'], registers: [r] });
    for (let i = 0; i < 20_000; i++) g.set({ key: `k${i}` }, i);
    const sink = new Sink();
    sink.write = function (this: Sink, chunk: string) {
      this.chunks.push(chunk);
      this.destroyed = true;
      setImmediate(() => this.emit('close'));
      return false;
    };
    await writeExposition(sink, await readRegistry(r));
    expect(sink.chunks).toHaveLength(1);
  });
});

describe('SeriesTable', () => {
  const q = (n: number) => ({ queue: 'votes', key: `votes:${n}`, type: 'list' });

  it('exposes as a prom-client gauge would: same text through writeExposition and registry.metrics()', async () => {
    const r = new Registry();
    const t = new SeriesTable(metrics.redisQueueLength, r);
    const g = new Registry();
    const gauge = createMetric(metrics.redisQueueLength, g);
    for (const [labels, v] of [
      [q(1), 3],
      [q(2), 0],
      [{ queue: 'votes', key: 'we"ird\\key\nname', type: 'list' }, 5],
      [q(1), 4],
    ] as const) {
      t.set(labels, v);
      gauge.set(labels, v);
    }
    const sink = new Sink();
    await writeExposition(sink, await readRegistry(r));
    expect(sink.text).toBe(await g.metrics());
    expect(await r.metrics()).toBe(await g.metrics());
    expect(sink.text).toContain('redis_queue_length{queue="votes",key="votes:1",type="list"} 4');
  });

  it('is emptied by clearMetric, as the gauges it replaces', async () => {
    const r = new Registry();
    const t = new SeriesTable(metrics.redisQueueLength, r);
    t.set(q(1), 1);
    clearMetric(t as never);
    const sink = new Sink();
    await writeExposition(sink, await readRegistry(r));
    expect(sink.text).not.toContain('votes:1');
    expect(sink.text).toContain('# TYPE redis_queue_length gauge');
  });

  it('runs its collect before it is read, once per scrape', async () => {
    const r = new Registry();
    let n = 0;
    const t = new SeriesTable(metrics.redisQueueLength, r, async () => {
      n++;
      t.reset();
      t.set(q(n), n);
    });
    const sink = new Sink();
    await writeExposition(sink, await readRegistry(r));
    expect(n).toBe(1);
    expect(sink.text).toContain('key="votes:1",type="list"} 1');
  });
});
