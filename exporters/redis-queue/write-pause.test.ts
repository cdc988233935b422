// A write pause (CLIENT PAUSE WRITE: what FAILOVER and maintenance use) against a private
// redis-server: Redis holds every script without flags until the pause ends, as it might write, so
// the exporter's read-only scripts are declared no-writes and a collection still reads its queues.
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics, type QueueConfig, queueDefaults } from 'voting-mixin/config';
import { type PrivateRedis, startPrivateRedis } from '../../test/support/index.js';
import { QueueCollector } from './collector.js';

const now = Date.now();
const item = (ts: number): string => JSON.stringify({ id: 'x', ts });

let priv: PrivateRedis;
let admin: Redis;

const q = (name: string, type: QueueConfig['type']): QueueConfig => ({ ...queueDefaults, name, key: name, type });

beforeAll(async () => {
  priv = await startPrivateRedis();
  admin = new Redis({ port: priv.port });
  await admin.lpush('list', item(now - 30_000), item(now - 1000));
  await admin.zadd('zset', now - 20_000, 'a', now - 5000, 'b');
  // A group with nothing pending and entries undelivered: its age comes from the stream-range script.
  await admin.xadd('stream', `${now - 60_000}-0`, 'v', '1');
  await admin.xadd('stream', `${now - 50_000}-0`, 'v', '2');
  await admin.xadd('stream', `${now - 40_000}-0`, 'v', '3');
  await admin.xgroup('CREATE', 'stream', 'g', `${now - 60_000}-0`);
});

afterAll(async () => {
  admin?.disconnect();
  await priv?.stop();
});

describe('a collection during a write pause', () => {
  it('reads queue lengths and ages through its scripts, before the deadline, while plain scripts wait', async () => {
    const client = new Redis({ port: priv.port });
    const other = new Redis({ port: priv.port });
    const registry = new Registry();
    new QueueCollector(client, registry, {
      queues: [q('list', 'list'), q('zset', 'zset'), q('stream', 'stream')],
      pipelineSize: 100,
      scanCount: 100,
      timeoutMs: 2000,
      typeCache: true,
      secrets: [],
    });
    try {
      await client.ping();
      await other.ping();
      await admin.call('CLIENT', 'PAUSE', '20000', 'WRITE');
      // The control: a script without flags is held by the pause.
      let heldScriptDone = false;
      const held = other.eval("return redis.call('LLEN', KEYS[1])", 1, 'list').then(() => {
        heldScriptDone = true;
      });

      const json = await registry.getMetricsAsJSON();
      type Values = Array<{ labels: Record<string, string>; value: number }>;
      const values = (name: string): Values => (json.find((m) => m.name === name)?.values ?? []) as Values;
      const by = (name: string): Record<string, number> =>
        Object.fromEntries(values(name).map((v) => [v.labels.queue, v.value]));

      expect(heldScriptDone).toBe(false);
      expect(values(metrics.exporterLastScrapeTimedOut.name)[0]?.value).toBe(0);
      expect(values(metrics.redisUp.name)[0]?.value).toBe(1);
      expect(by(metrics.redisQueueLength.name)).toEqual({ list: 2, zset: 2, stream: 2 });
      const ages = by(metrics.redisQueueOldestItemAgeSeconds.name);
      expect(Math.round(ages.list!)).toBeGreaterThanOrEqual(30);
      expect(Math.round(ages.zset!)).toBeGreaterThanOrEqual(20);
      expect(Math.round(ages.stream!)).toBeGreaterThanOrEqual(50);
      for (const a of Object.values(ages)) expect(a).toBeLessThan(120);

      await admin.call('CLIENT', 'UNPAUSE');
      await held;
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
      client.disconnect();
      other.disconnect();
    }
  });
});
