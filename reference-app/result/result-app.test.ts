/**
 * The result service against a PostgreSQL database of its own, reached through a TCP proxy the
 * tests cut to take PostgreSQL away (the shared server is never touched): tallies, shares, the
 * JSON, the page, the live stream, /metrics, bad requests, then the outage and the recovery.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceRegistry } from 'voting-mixin/instrument';
import {
  createDatabase,
  promtoolCheckMetrics,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
  waitFor,
} from '../../test/support/index.js';
import { createPool, ensureSchema, type Pool, writeBatch } from '../shared/db.js';
import { newQueueItem } from '../shared/queue-item.js';
import { closeServer, listen } from '../shared/serve.js';
import { silentLogger } from '../test/helpers.js';
import { createResultApp, type ResultApp } from './app.js';

let db: TestDatabase;
let proxy: TcpProxy;
/** The app's pool (through the proxy) and the tests' own (direct). */
let appPool: Pool;
let pool: Pool;
let result: ResultApp;
let server: Server;
let base: string;

beforeAll(async () => {
  db = await createDatabase({ prefix: 'vm_result' });
  proxy = await startTcpProxy({ host: db.host, port: db.port });
  const url = new URL(db.url);
  url.port = String(proxy.port);
  appPool = createPool(url.toString(), 4);
  pool = createPool(db.url, 2);
  result = createResultApp({
    pool: appPool,
    registry: serviceRegistry(),
    logger: silentLogger(),
    options: ['cats', 'dogs'],
    pollIntervalMs: 100,
  });
  server = await listen(result.app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  result?.close();
  if (server) await closeServer(server, 100);
  await appPool?.end().catch(() => {});
  await pool?.end();
  await proxy?.close();
  await db?.drop();
});

const vote = (voter: string, option: string) => writeBatch(pool, [newQueueItem(voter, option)]);

/** An open GET /results/stream: its events as they arrive. */
async function openStream(): Promise<{
  events: Array<{ event: string; data: unknown }>;
  next(what: string, pred: (e: { event: string; data: unknown }) => boolean): Promise<{ event: string; data: unknown }>;
  close(): void;
  res: Response;
}> {
  const ctl = new AbortController();
  const res = await fetch(`${base}/results/stream`, { signal: ctl.signal });
  const events: Array<{ event: string; data: unknown }> = [];
  let seen = 0;
  void (async () => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        for (let i = buf.indexOf('\n\n'); i !== -1; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    res,
    /** The next event (after those already returned) matching `pred`. */
    next: (what, pred) =>
      waitFor(
        what,
        () => {
          const i = events.findIndex((e, k) => k >= seen && pred(e));
          if (i === -1) return undefined;
          seen = i + 1;
          return events[i];
        },
        15_000,
      ),
    close: () => ctl.abort(),
  };
}

const metricsText = async () => (await fetch(`${base}/metrics`)).text();

describe('result service', () => {
  it('answers zeros before any worker created the tables', async () => {
    const res = await fetch(`${base}/results`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ options: { cats: 0, dogs: 0 }, total: 0, shares: { cats: 0, dogs: 0 } });
  });

  it('counts each voter once (their last vote), with shares; options not configured stay out', async () => {
    await ensureSchema(pool);
    await vote('v1', 'cats');
    await vote('v2', 'cats');
    await vote('v3', 'dogs');
    await vote('v4', 'dogs');
    await writeBatch(pool, [newQueueItem('v4', 'cats', Date.now() + 1)]); // v4 changed their mind
    await vote('v5', 'birds'); // an option of an older configuration
    const res = await fetch(`${base}/results`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      options: { cats: 3, dogs: 1 },
      total: 4,
      shares: { cats: 0.75, dogs: 0.25 },
    });
  });

  it('serves the page with the tallies already in it (readable without JavaScript), no external assets', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<tr data-option="cats"><th>cats<\/th><td class="n">3<\/td><td class="share">75\.0%<\/td>/);
    expect(html).toMatch(/<tr data-option="dogs"><th>dogs<\/th><td class="n">1<\/td><td class="share">25\.0%<\/td>/);
    expect(html).toMatch(/id="total">4</);
    expect(html).toContain("new EventSource('results/stream')");
    expect(html).not.toMatch(/\b(src|href)=/);
  });

  it('streams an update to every open page after a new vote row, from one shared read', async () => {
    const a = await openStream();
    const b = await openStream();
    try {
      expect(a.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const first = await a.next('first results', (e) => e.event === 'results');
      expect(first.data).toMatchObject({ options: { cats: 3, dogs: 1 }, total: 4 });
      await b.next('first results on b', (e) => e.event === 'results');
      expect(result.viewers).toBe(2);
      await vote('v6', 'dogs');
      const update = { options: { cats: 3, dogs: 2 }, total: 5, shares: { cats: 0.6, dogs: 0.4 } };
      expect((await a.next('the update on a', (e) => e.event === 'results')).data).toEqual(update);
      expect((await b.next('the update on b', (e) => e.event === 'results')).data).toEqual(update);
    } finally {
      a.close();
      b.close();
    }
    await waitFor('the viewers to be gone', () => result.viewers === 0, 5_000);
  });

  it('exposes result_votes per option read at scrape time, and the HTTP RED metrics', async () => {
    await vote('v7', 'cats');
    const text = await metricsText();
    expect(text).toMatch(/^result_votes\{option="cats"\} 4$/m);
    expect(text).toMatch(/^result_votes\{option="dogs"\} 2$/m);
    expect(text).not.toMatch(/option="birds"/);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/results",status="200"\} \d+$/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/",status="200"\}/m);
    expect(text).toMatch(/^http_requests_in_flight /m);
    // A stream is counted when it opens, but never timed: its duration is a visit, not a latency.
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/results\/stream",status="200"\} 2$/m);
    expect(text).not.toMatch(/http_request_duration_seconds_count\{[^}]*route="\/results\/stream"/);
    const { code, output } = await promtoolCheckMetrics(text);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('answers bad requests with JSON, never a crash', async () => {
    const post = await fetch(`${base}/results`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await post.json()).toMatchObject({ error: expect.stringMatching(/POST not allowed/) });
    const del = await fetch(`${base}/results/stream`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    const nope = await fetch(`${base}/admin/faults`);
    expect(nope.status).toBe(404);
    expect(await nope.json()).toEqual({ error: 'not found' });
    const bad = await fetch(`${base}/%E0%A4%A`);
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    const head = await fetch(`${base}/results/stream`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(await (await fetch(`${base}/results?option=<script>`)).json()).toMatchObject({ total: 6 });
  });

  it('says not ready and 503 with Retry-After while PostgreSQL is unreachable, and recovers without a restart', async () => {
    const stream = await openStream();
    try {
      await stream.next('results before the outage', (e) => e.event === 'results');
      proxy.cut();
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('2');
      expect(await ready.json()).toMatchObject({ status: 'not ready' });
      const results = await fetch(`${base}/results`);
      expect(results.status).toBe(503);
      expect(results.headers.get('retry-after')).toBe('2');
      expect(await results.json()).toEqual({ error: 'results database unavailable' });
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('results unavailable right now');
      // The scrape still works (the process is up); result_votes has no series rather than a stale or 0 one.
      const scrape = await fetch(`${base}/metrics`);
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).not.toMatch(/^result_votes\{/m);
      expect(text).toMatch(/^http_requests_total\{method="GET",route="\/results",status="503"\} 1$/m);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      await stream.next('unavailable on the stream', (e) => e.event === 'unavailable');

      proxy.restore();
      await waitFor('ready again', async () => (await fetch(`${base}/ready`)).status === 200, 15_000);
      const again = await fetch(`${base}/results`);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ options: { cats: 4, dogs: 2 }, total: 6 });
      expect((await stream.next('results after the outage', (e) => e.event === 'results')).data).toMatchObject({
        total: 6,
      });
      expect(await metricsText()).toMatch(/^result_votes\{option="cats"\} 4$/m);
    } finally {
      stream.close();
    }
  });
});
