// A collection whose oldest items are 16 MB each, against a private redis-server (INFO stats counts
// every byte it sends): the timestamps are read without the items crossing the network.
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics, type QueueConfig, queueDefaults } from 'voting-mixin/config';
import { type PrivateRedis, startPrivateRedis } from '../../test/support/index.js';
import { QueueCollector } from './collector.js';

const MB16 = 16 * 1024 * 1024;
const now = Date.now();
const big = 'x'.repeat(MB16);

let priv: PrivateRedis;
let admin: Redis;

async function netOutput(): Promise<number> {
  return Number(/total_net_output_bytes:(\d+)/.exec(await admin.info('stats'))![1]);
}

const q = (name: string, type: QueueConfig['type']): QueueConfig => ({ ...queueDefaults, name, key: name, type });
const QUEUES = [
  q('list', 'list'),
  q('zset', 'zset'),
  q('stream', 'stream'),
  q('grouped', 'stream'),
  q('nolag', 'auto'),
];

/** One collection through `client`: the bytes Redis sent for it and the queue ages. */
async function collect(
  client: Redis,
): Promise<{ sent: number; ages: Record<string, number>; lengths: Record<string, number> }> {
  const registry = new Registry();
  new QueueCollector(client, registry, {
    queues: QUEUES,
    pipelineSize: 100,
    scanCount: 100,
    timeoutMs: 20_000,
    typeCache: true,
    secrets: [],
  });
  const before = await netOutput();
  const json = await registry.getMetricsAsJSON();
  const sent = (await netOutput()) - before;
  type Values = Array<{ labels: Record<string, string>; value: number }>;
  const by = (name: string): Record<string, number> =>
    Object.fromEntries(
      ((json.find((m) => m.name === name)?.values ?? []) as Values).map((v) => [v.labels.queue, v.value]),
    );
  return { sent, ages: by(metrics.redisQueueOldestItemAgeSeconds.name), lengths: by(metrics.redisQueueLength.name) };
}

beforeAll(async () => {
  priv = await startPrivateRedis();
  admin = new Redis({ port: priv.port });
  await admin.lpush('list', `{"ts":${now - 10_000},"payload":"${big}"}`, JSON.stringify({ ts: now }));
  await admin.zadd('zset', now - 20_000, big, now, 'small');
  await admin.xadd('stream', `${now - 30_000}-0`, 'payload', big);
  await admin.xadd('stream', `${now}-0`, 'v', '1');
  // Delivered and acknowledged up to entry 1; entry 2 (16 MB) is the oldest waiting one.
  await admin.xadd('grouped', `${now - 60_000}-0`, 'v', '1');
  await admin.xadd('grouped', `${now - 50_000}-0`, 'payload', big);
  await admin.xgroup('CREATE', 'grouped', 'g', `${now - 60_000}-0`);
  // Lag unknown (an XDEL after the last-delivered id): the undelivered entries are counted.
  await admin.xadd('nolag', `${now - 45_000}-0`, 'v', '1');
  for (let i = 1; i <= 20; i++) await admin.xadd('nolag', `${now - 40_000 + i}-0`, 'payload', 'y'.repeat(1024 * 1024));
  await admin.xgroup('CREATE', 'nolag', 'g', `${now - 45_000}-0`);
  await admin.xdel('nolag', `${now - 40_000 + 20}-0`);
  await admin.acl('SETUSER', 'noscripts', 'on', '>pw', '~*', '+@all', '-@scripting');
}, 60_000);

afterAll(async () => {
  admin?.disconnect();
  await priv?.stop();
});

describe('oldest items of 16 MB', () => {
  it('are aged from their ts, score or id while Redis sends kilobytes, not the items', async () => {
    const client = new Redis({ port: priv.port });
    try {
      const { sent, ages, lengths } = await collect(client);
      expect(lengths).toMatchObject({ list: 2, zset: 2, stream: 2, grouped: 1, nolag: 19 });
      expect(Math.round(ages.list!)).toBeGreaterThanOrEqual(10);
      expect(Math.round(ages.zset!)).toBeGreaterThanOrEqual(20);
      expect(Math.round(ages.stream!)).toBeGreaterThanOrEqual(30);
      expect(Math.round(ages.grouped!)).toBeGreaterThanOrEqual(50);
      expect(Math.round(ages.nolag!)).toBeGreaterThanOrEqual(40);
      for (const a of Object.values(ages)) expect(a).toBeLessThan(120);
      // INFO replies (ours and the measuring ones) and a list item's first 8 KiB: well under 100 KiB.
      expect(sent).toBeLessThan(100 * 1024);
    } finally {
      client.disconnect();
    }
  });

  it('still age right without scripting permission, where the plain commands transfer the items', async () => {
    const client = new Redis({ port: priv.port, username: 'noscripts', password: 'pw' });
    try {
      const { sent, ages, lengths } = await collect(client);
      expect(lengths).toMatchObject({ list: 2, zset: 2, stream: 2, grouped: 1, nolag: 19 });
      expect(Math.round(ages.list!)).toBeGreaterThanOrEqual(10);
      expect(Math.round(ages.grouped!)).toBeGreaterThanOrEqual(50);
      // The documented cost of refusing scripts: each 16 MB oldest item crosses the network.
      expect(sent).toBeGreaterThan(4 * MB16);
    } finally {
      client.disconnect();
    }
  });
});
