// Stream queue semantics against the shared Redis (unique key prefix, cleaned up): entries stay in a
// stream after they are consumed and acknowledged, so a stream read by consumer groups reports what
// its slowest group has left to do (lag + pending), not XLEN.
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics, type QueueConfig, queueDefaults } from 'voting-mixin/config';
import { deleteKeys, SHARED_REDIS_URL, uniqueId } from '../../test/support/index.js';
import { QueueCollector } from './collector.js';
import { LAG_COUNT_LIMIT } from './queue-types.js';

const P = `${uniqueId('rqe-streams')}:`;
const ENTRIES = 300;
/** Entry i's id is its enqueue time: entry 0 is 600 s old, one a second after that. */
const base = Date.now() - 600_000;
const idOf = (i: number): string => `${base + i * 1000}-0`;

let redis: Redis;
let client: Redis;
let registry: Registry;

async function fill(key: string): Promise<void> {
  const p = redis.pipeline();
  for (let i = 0; i < ENTRIES; i++) p.xadd(key, idOf(i), 'vote', String(i));
  await p.exec();
}
/** Group `group` (created at the start) is delivered `read` entries and acknowledges the first `acked`. */
async function consume(key: string, group: string, read: number, acked: number): Promise<void> {
  await redis.xgroup('CREATE', key, group, '0');
  if (read > 0) await redis.xreadgroup('GROUP', group, 'c1', 'COUNT', read, 'STREAMS', key, '>');
  if (acked > 0) await redis.xack(key, group, ...Array.from({ length: acked }, (_, i) => idOf(i)));
}

type Values = Array<{ labels: Record<string, string | number>; value: number }>;
async function value(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  return (m?.values as Values | undefined)?.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))
    ?.value;
}
const length = (queue: string): Promise<number | undefined> => value(metrics.redisQueueLength.name, { queue });
const age = (queue: string): Promise<number | undefined> =>
  value(metrics.redisQueueOldestItemAgeSeconds.name, { queue });
/** Entry i's age now, in seconds. */
const ageOf = (i: number): number => (Date.now() - (base + i * 1000)) / 1000;

const q = (name: string, extra: Partial<QueueConfig> = {}): QueueConfig => ({
  ...queueDefaults,
  name,
  key: `${P}${name}`,
  type: 'stream',
  ...extra,
});

beforeAll(async () => {
  redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true });
  await redis.connect();
  client = redis.duplicate();
  registry = new Registry();
  new QueueCollector(client, registry, {
    queues: [
      q('done'),
      q('half'),
      q('two'),
      q('plain', { type: 'auto' }),
      q('nolag'),
      q('caught', { type: 'auto' }),
      q('ahead'),
    ],
    pipelineSize: 5, // small: the streams land in different chunks, each with its own second round
    scanCount: 100,
    timeoutMs: 5000,
    typeCache: true,
    secrets: [],
  });
  for (const name of ['done', 'half', 'two', 'plain', 'nolag', 'caught', 'ahead']) await fill(`${P}${name}`);
  await consume(`${P}done`, 'workers', ENTRIES, ENTRIES);
  await consume(`${P}half`, 'workers', 100, 50);
  await consume(`${P}two`, 'fast', 290, 280); // backlog 10 + 10
  await consume(`${P}two`, 'slow', 100, 50); // backlog 200 + 50
  // XDEL after the last-delivered-id makes Redis report lag as null: the exporter counts instead.
  await consume(`${P}nolag`, 'workers', 100, 50);
  await redis.xdel(`${P}nolag`, idOf(200));
  await consume(`${P}caught`, 'workers', ENTRIES, ENTRIES);
  // Everything delivered and acked except nothing is pending: age from the first undelivered entry.
  await consume(`${P}ahead`, 'workers', 120, 120);
});

afterAll(async () => {
  await deleteKeys(SHARED_REDIS_URL, P);
  redis.disconnect();
  client.disconnect();
});

describe('stream queues read by consumer groups', () => {
  it('reports a fully consumed and acknowledged stream as empty (length 0, age 0)', async () => {
    expect(await redis.xlen(`${P}done`)).toBe(ENTRIES);
    expect(await length('done')).toBe(0);
    expect(await age('done')).toBe(0);
    expect(await value(metrics.redisQueueStreamGroupLag.name, { queue: 'done', group: 'workers' })).toBe(0);
    expect(await value(metrics.redisQueueStreamGroupPending.name, { queue: 'done', group: 'workers' })).toBe(0);
  });

  it('counts undelivered (lag) plus unacknowledged (pending), aged by the oldest pending entry', async () => {
    expect(await length('half')).toBe(200 + 50);
    expect(Math.abs((await age('half'))! - ageOf(50))).toBeLessThan(2);
    expect(await value(metrics.redisQueueStreamGroupLag.name, { queue: 'half', group: 'workers' })).toBe(200);
    expect(await value(metrics.redisQueueStreamGroupPending.name, { queue: 'half', group: 'workers' })).toBe(50);
  });

  it('takes the largest backlog across groups: the slowest group decides', async () => {
    expect(await length('two')).toBe(250);
    expect(Math.abs((await age('two'))! - ageOf(50))).toBeLessThan(2);
    expect(await value(metrics.redisQueueStreamGroupLag.name, { queue: 'two', group: 'fast' })).toBe(10);
    expect(await value(metrics.redisQueueStreamGroupPending.name, { queue: 'two', group: 'fast' })).toBe(10);
  });

  it('ages a group with nothing pending by its first undelivered entry', async () => {
    expect(await length('ahead')).toBe(180);
    expect(Math.abs((await age('ahead'))! - ageOf(120))).toBeLessThan(2);
  });

  it('counts the undelivered entries when Redis reports no lag', async () => {
    expect(await value(metrics.redisQueueStreamGroupLag.name, { queue: 'nolag', group: 'workers' })).toBeUndefined();
    expect(await length('nolag')).toBe(199 + 50);
    expect(Math.abs((await age('nolag'))! - ageOf(50))).toBeLessThan(2);
  });

  it('falls back to XLEN, an upper bound, when more than the counted bound is undelivered and lag is unknown', async () => {
    const key = `${P}long`;
    const p = redis.pipeline();
    for (let i = 0; i < LAG_COUNT_LIMIT + 500; i++) p.xadd(key, idOf(i), 'vote', String(i));
    await p.exec();
    await consume(key, 'workers', 100, 50);
    await redis.xdel(key, idOf(LAG_COUNT_LIMIT + 200));
    const reg = new Registry();
    new QueueCollector(client, reg, {
      queues: [q('long')],
      pipelineSize: 100,
      scanCount: 100,
      timeoutMs: 5000,
      typeCache: true,
      secrets: [],
    });
    const m = (await reg.getMetricsAsJSON()).find((x) => x.name === metrics.redisQueueLength.name)!;
    expect((m.values as Values)[0]!.value).toBe(await redis.xlen(key));
  });

  it('caps a lag Redis keeps for entries trimmed away at the entries the stream holds', async () => {
    const key = `${P}trimmed`;
    for (let i = 0; i < 5; i++) await redis.xadd(key, idOf(i), 'vote', String(i));
    await consume(key, 'workers', 3, 0);
    await redis.xtrim(key, 'MAXLEN', 0);
    // What Redis says: nothing left, yet 2 entries lag and 3 are pending.
    expect(await redis.xlen(key)).toBe(0);
    expect(await redis.xinfo('GROUPS', key)).toEqual([expect.arrayContaining(['pending', 3, 'lag', 2])]);
    const reg = new Registry();
    new QueueCollector(client, reg, {
      queues: [q('trimmed')],
      pipelineSize: 100,
      scanCount: 100,
      timeoutMs: 5000,
      typeCache: true,
      secrets: [],
    });
    const json = await reg.getMetricsAsJSON();
    const one = (name: string): number | undefined =>
      (json.find((x) => x.name === name)?.values as Values | undefined)?.[0]?.value;
    expect(one(metrics.redisQueueStreamGroupLag.name)).toBe(0);
    // The 3 delivered entries are still unacknowledged (XPENDING lists them): they stay, aged by the oldest.
    expect(one(metrics.redisQueueStreamGroupPending.name)).toBe(3);
    expect(one(metrics.redisQueueLength.name)).toBe(3);
    expect(Math.abs(one(metrics.redisQueueOldestItemAgeSeconds.name)! - ageOf(0))).toBeLessThan(2);
  });

  it('follows a stream as its group catches up and falls behind again', async () => {
    expect(await length('caught')).toBe(0);
    await redis.xadd(`${P}caught`, '*', 'vote', 'late');
    expect(await length('caught')).toBe(1);
    expect(await age('caught')).toBeLessThan(5);
  });
});

describe('stream queues without a consumer group', () => {
  it('reports XLEN and the first entry age', async () => {
    expect(await length('plain')).toBe(ENTRIES);
    expect(Math.abs((await age('plain'))! - ageOf(0))).toBeLessThan(2);
    expect(await value(metrics.redisQueueStreamGroupLag.name, { queue: 'plain' })).toBeUndefined();
  });
});
