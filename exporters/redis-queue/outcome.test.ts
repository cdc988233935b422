// The outcome of a collection against a private redis-server made slow (CLIENT PAUSE, a long SCAN
// walk), frozen (SIGSTOP), killed and cut mid-collection (TCP proxy): redis_up says whether Redis
// is reachable, the deadline is reported on its own (timed_out, reason timeout), and the
// collector recovers without a restart.
import { Redis, type RedisOptions } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { metrics, type QueueConfig } from 'voting-mixin/config';
import {
  type PrivateRedis,
  sleep,
  startPrivateRedis,
  startTcpProxy,
  type TcpProxy,
  waitFor,
} from '../../test/support/index.js';
import { QueueCollector } from './collector.js';
import { queueItem as item, one, queue as q, type Scrape, scrape, testOptions } from './test-support.js';

/** What the outcome metrics of one scrape say. */
function outcome(s: Scrape) {
  return {
    up: one(s, metrics.redisUp.name),
    timedOut: one(s, metrics.exporterLastScrapeTimedOut.name),
    timeouts: one(s, metrics.exporterScrapeErrorsTotal.name, { reason: 'timeout' }),
    connectionErrors: one(s, metrics.exporterScrapeErrorsTotal.name, { reason: 'connection' }),
    lastError: s.get(metrics.redisExporterLastScrapeError.name),
  };
}

// The exporter's client settings (target.ts): fail fast while down, reconnect quickly.
const CLIENT: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 4), 1000),
};

let priv: PrivateRedis;
let admin: Redis;
const clients: Redis[] = [];
const proxies: TcpProxy[] = [];

async function collectorFor(
  port: number,
  queues: QueueConfig[],
  extra: { unansweredDownMs?: number; scanCount?: number } = {},
): Promise<{ c: QueueCollector; reg: Registry }> {
  const client = new Redis({ ...CLIENT, port });
  clients.push(client);
  await client.connect();
  const reg = new Registry();
  const c = new QueueCollector(
    client,
    reg,
    testOptions(queues, { scanCount: extra.scanCount ?? 100, unansweredDownMs: extra.unansweredDownMs }),
  );
  return { c, reg };
}

beforeAll(async () => {
  // DEBUG POPULATE fills the keyspace for the long SCAN walk; the server is ours alone.
  priv = await startPrivateRedis({ args: ['--enable-debug-command', 'yes'] });
  admin = new Redis({ port: priv.port });
  await admin.lpush('q', item(Date.now() - 5000));
});

afterEach(async () => {
  // Whatever a test did to the server, the next one finds it running and answering.
  const pid = priv.pid();
  if (pid !== undefined) process.kill(pid, 'SIGCONT');
  await admin.client('UNPAUSE').catch(() => undefined);
  for (const c of clients.splice(0)) c.disconnect();
  for (const p of proxies.splice(0)) await p.close();
});

afterAll(async () => {
  admin?.disconnect();
  await priv?.stop();
});

describe('collection outcome: slow is not down', () => {
  it('a Redis paused past the deadline keeps redis_up 1 and reports the timeout; the next scrape recovers', async () => {
    const { c, reg } = await collectorFor(priv.port, [q('q', 'q', { type: 'list' })]);
    let s = await scrape(reg);
    expect(outcome(s)).toMatchObject({ up: 1, timedOut: 0, timeouts: 0 });
    expect(outcome(s).lastError).toEqual([{ labels: { err: '' }, value: 0 }]);
    expect(one(s, metrics.redisQueueLength.name, { queue: 'q' })).toBe(1);

    await admin.client('PAUSE', 1500, 'ALL');
    c.setNextTimeout(300);
    s = await scrape(reg);
    expect(outcome(s)).toMatchObject({ up: 1, timedOut: 1, timeouts: 1, connectionErrors: 0 });
    expect(outcome(s).lastError).toEqual([{ labels: { err: 'collection exceeded its 300 ms deadline' }, value: 1 }]);
    // INFO did not answer in time: no health figures, and no queue series rather than a false 0.
    expect(one(s, metrics.redisMemoryUsedBytes.name)).toBeUndefined();
    expect(one(s, metrics.redisQueueLength.name, { queue: 'q' })).toBeUndefined();

    await admin.client('UNPAUSE');
    s = await scrape(reg);
    expect(outcome(s)).toMatchObject({ up: 1, timedOut: 0, timeouts: 1 });
    expect(outcome(s).lastError).toEqual([{ labels: { err: '' }, value: 0 }]);
    expect(one(s, metrics.redisQueueLength.name, { queue: 'q' })).toBe(1);
  });

  it('a collection cut while walking a large keyspace keeps INFO health figures; queue series it did not reach are absent', async () => {
    // 200,000 keys walked 5 at a time: tens of thousands of SCAN round trips, far past 300 ms,
    // while INFO (first in the pipeline) answers at once.
    await admin.call('DEBUG', 'POPULATE', '200000', 'filler');
    try {
      const { c, reg } = await collectorFor(priv.port, [q('q', 'q', { type: 'list' }), q('jobs', 'job:*')], {
        scanCount: 5,
      });
      c.setNextTimeout(300);
      const s = await scrape(reg);
      expect(outcome(s)).toMatchObject({ up: 1, timedOut: 1, timeouts: 1 });
      expect(one(s, metrics.redisMemoryUsedBytes.name)).toBeGreaterThan(0);
      expect(s.get(metrics.redisInstanceInfo.name)).toHaveLength(1);
      // Neither the pattern queue (SCAN not finished) nor the plain key (read after it) was reached.
      expect(s.get(metrics.redisQueueLength.name)).toEqual([]);
      expect(s.get(metrics.redisQueueKeys.name)).toEqual([]);
    } finally {
      await admin.call('DEBUG', 'POPULATE', '0');
      await admin.flushall();
      await admin.lpush('q', item(Date.now() - 5000));
    }
  });

  it('a frozen Redis (SIGSTOP) is slow at first, down once it left a request unanswered for unansweredDownMs, up again when it resumes', async () => {
    const { c, reg } = await collectorFor(priv.port, [q('q', 'q', { type: 'list' })], { unansweredDownMs: 2000 });
    expect(outcome(await scrape(reg))).toMatchObject({ up: 1, timedOut: 0 });
    process.kill(priv.pid()!, 'SIGSTOP');
    c.setNextTimeout(200);
    let s = await scrape(reg);
    expect(outcome(s)).toMatchObject({ up: 1, timedOut: 1, timeouts: 1 });
    // Still silent on an open connection more than 2 s after the first unanswered INFO: down.
    await sleep(2200);
    c.setNextTimeout(200);
    s = await scrape(reg);
    expect(outcome(s)).toMatchObject({ up: 0, timedOut: 1, timeouts: 2 });
    process.kill(priv.pid()!, 'SIGCONT');
    s = await scrape(reg);
    expect(outcome(s)).toMatchObject({ up: 1, timedOut: 0, timeouts: 2 });
    expect(one(s, metrics.redisQueueLength.name, { queue: 'q' })).toBe(1);
  });
});

describe('collection outcome: unreachable is down', () => {
  it('a killed Redis gives redis_up 0 with reason connection and no timeout; a restarted one is up again without restarting the collector', async () => {
    const { reg } = await collectorFor(priv.port, [q('q', 'q', { type: 'list' })]);
    expect(outcome(await scrape(reg))).toMatchObject({ up: 1 });
    await priv.kill();
    try {
      const s = await scrape(reg);
      expect(outcome(s)).toMatchObject({ up: 0, timedOut: 0, timeouts: 0 });
      expect(outcome(s).connectionErrors).toBeGreaterThanOrEqual(1);
      expect(outcome(s).lastError?.[0]?.value).toBe(1);
      // "Redis is not connected (reconnecting)", or the write ioredis refused on the dying socket.
      expect(String(outcome(s).lastError?.[0]?.labels.err)).toMatch(/not connected|writeable|closed/);
      expect(one(s, metrics.redisMemoryUsedBytes.name)).toBeUndefined();
    } finally {
      await priv.start();
    }
    admin.disconnect();
    admin = new Redis({ port: priv.port });
    await admin.lpush('q', item(Date.now()));
    const s = await waitFor('redis_up 1 after the restart', async () => {
      const r = await scrape(reg);
      return outcome(r).up === 1 ? r : undefined;
    });
    expect(outcome(s)).toMatchObject({ up: 1, timedOut: 0 });
    expect(one(s, metrics.redisQueueLength.name, { queue: 'q' })).toBe(1);
  });

  it('a Redis that refuses INFO to our user (NOPERM) is down for us: reason auth, no timeout, also when it then stalls', async () => {
    await admin.acl('SETUSER', 'noinfo', 'on', '>noinfo-pw', '~*', '+@all', '-info');
    try {
      const client = new Redis({ ...CLIENT, port: priv.port, username: 'noinfo', password: 'noinfo-pw' });
      clients.push(client);
      await client.connect();
      const reg = new Registry();
      const c = new QueueCollector(client, reg, testOptions([q('q', 'q', { type: 'list' })]));
      let s = await scrape(reg);
      expect(outcome(s)).toMatchObject({ up: 0, timedOut: 0, timeouts: 0 });
      expect(one(s, metrics.exporterScrapeErrorsTotal.name, { reason: 'auth' })).toBe(1);
      // Its last exchange was a refusal: a stall now is not "slow but answering".
      await admin.client('PAUSE', 1500, 'ALL');
      c.setNextTimeout(300);
      s = await scrape(reg);
      expect(outcome(s)).toMatchObject({ up: 0, timedOut: 1, timeouts: 1 });
    } finally {
      await admin.client('UNPAUSE');
      await admin.acl('DELUSER', 'noinfo');
    }
  });

  it('a connection lost mid-collection is down, even while Redis was only slow', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: priv.port });
    proxies.push(proxy);
    const { c, reg } = await collectorFor(proxy.port, [q('q', 'q', { type: 'list' })]);
    expect(outcome(await scrape(reg))).toMatchObject({ up: 1 });
    await admin.client('PAUSE', 3000, 'ALL');
    c.setNextTimeout(2000);
    const scraping = scrape(reg);
    await sleep(300);
    proxy.cut();
    const s = await scraping;
    expect(outcome(s)).toMatchObject({ up: 0, timedOut: 0, timeouts: 0 });
    expect(outcome(s).connectionErrors).toBeGreaterThanOrEqual(1);
    proxy.restore();
    await admin.client('UNPAUSE');
    const back = await waitFor('redis_up 1 after the proxy is restored', async () => {
      const r = await scrape(reg);
      return outcome(r).up === 1 ? r : undefined;
    });
    expect(outcome(back)).toMatchObject({ timedOut: 0 });
  });
});
