// Key names that are not valid UTF-8: the escaping on its own, then a collection from a private
// redis-server (such keys cannot be cleaned up by name-pattern tools on the shared one).
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics, type QueueConfig, queueDefaults } from 'voting-mixin/config';
import { type PrivateRedis, promtoolCheckMetrics, startPrivateRedis } from '../../test/support/index.js';
import { QueueCollector } from './collector.js';
import { keyName, labelOf, labelOfBytes } from './key-names.js';

const b = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('key labels', () => {
  it('leaves valid UTF-8 names as they are, doubling only a backslash', () => {
    expect(labelOfBytes(b('votes:1'))).toBe('votes:1');
    expect(labelOfBytes(b('file:é€😀'))).toBe('file:é€😀');
    expect(labelOfBytes(b('real:\uFFFD'))).toBe('real:\uFFFD');
    expect(labelOfBytes(b('a\\b'))).toBe('a\\\\b');
    expect(labelOf('a\\b')).toBe('a\\\\b');
  });

  it('writes each byte outside valid UTF-8 as \\xHH, keeping the valid sequences around it', () => {
    expect(labelOfBytes(b('q:', [0xff, 0xfe]))).toBe('q:\\xff\\xfe');
    // A truncated sequence, an overlong form, a surrogate, past U+10FFFF, a lone continuation byte.
    expect(labelOfBytes(b('q:', [0xc3]))).toBe('q:\\xc3');
    expect(labelOfBytes(b([0xc0, 0xaf]))).toBe('\\xc0\\xaf');
    expect(labelOfBytes(b([0xed, 0xa0, 0x80]))).toBe('\\xed\\xa0\\x80');
    expect(labelOfBytes(b([0xf4, 0x90, 0x80, 0x80]))).toBe('\\xf4\\x90\\x80\\x80');
    expect(labelOfBytes(b('é', [0x80], 'é\\'))).toBe('é\\x80é\\\\');
  });

  it('is one-to-one: a name that reads like an escape is told from the bytes it would stand for', () => {
    const literal = labelOfBytes(b('q:\\xff'));
    const bytes = labelOfBytes(b('q:', [0xff]));
    expect(literal).toBe('q:\\\\xff');
    expect(bytes).toBe('q:\\xff');
    expect(literal).not.toBe(bytes);
  });

  it('gives the exact bytes back for commands', () => {
    for (const name of [
      b('votes'),
      b('q:', [0xff, 0xfe]),
      b('q:\\xff'),
      b('é', [0x80], 'é\\'),
      b([0xed, 0xa0, 0x80], '\\\\', [0xc3]),
    ]) {
      const back = keyName(labelOfBytes(name));
      expect(Buffer.from(back)).toEqual(name);
    }
    expect(keyName('votes')).toBe('votes');
    expect(() => keyName('a\\q')).toThrow(/not a key label/);
    expect(() => keyName('a\\x4')).toThrow(/not a key label/);
  });
});

describe('queues whose key names are not valid UTF-8', () => {
  let priv: PrivateRedis;
  let admin: Redis;
  let client: Redis;
  const now = Date.now();
  const item = (ageMs: number): string => JSON.stringify({ id: 'x', ts: now - ageMs });
  const q = (name: string, key: string, extra: Partial<QueueConfig> = {}): QueueConfig => ({
    ...queueDefaults,
    name,
    key,
    ...extra,
  });

  beforeAll(async () => {
    priv = await startPrivateRedis();
    admin = new Redis({ port: priv.port });
    client = new Redis({ port: priv.port });
    await admin.lpush(b('jobs:', [0xff, 0xfe]), item(10_000), item(1000));
    await admin.lpush(b('jobs:\\xff'), item(20_000));
    await admin.zadd(b('jobs:z', [0xc3]), now - 30_000, 'a');
    await admin.xadd(b('jobs:s', [0x80]), `${now - 40_000}-0`, 'v', '1');
    await admin.lpush(b('jobs:processing:', [0xfe]), item(50_000));
    await admin.lpush(b('plain\\key'), item(60_000));
  });

  afterAll(async () => {
    admin?.disconnect();
    client?.disconnect();
    await priv?.stop();
  });

  it('reads and exports every key, labelled with its escaped name, in a valid exposition', async () => {
    const registry = new Registry();
    new QueueCollector(client, registry, {
      queues: [
        q('jobs', 'jobs:*', { type: 'auto', processingPattern: 'jobs:processing:*' }),
        q('plain', 'plain\\key', { type: 'auto' }),
      ],
      pipelineSize: 100,
      scanCount: 100,
      timeoutMs: 5000,
      typeCache: true,
      secrets: [],
    });
    type Values = Array<{ labels: Record<string, string>; value: number }>;
    // Twice: the second scrape reads types from the cache, by label.
    for (let i = 0; i < 2; i++) {
      const json = await registry.getMetricsAsJSON();
      const values = (name: string): Values => (json.find((m) => m.name === name)?.values ?? []) as Values;
      const lengths = Object.fromEntries(
        values(metrics.redisQueueLength.name).map((v) => [`${v.labels.key}|${v.labels.type}`, v.value]),
      );
      expect(lengths).toEqual({
        'jobs:\\xff\\xfe|list': 2,
        'jobs:\\\\xff|list': 1,
        'jobs:z\\xc3|zset': 1,
        'jobs:s\\x80|stream': 1,
        'plain\\\\key|list': 1,
      });
      const ages = Object.fromEntries(
        values(metrics.redisQueueOldestItemAgeSeconds.name).map((v) => [v.labels.key, Math.round(v.value / 10) * 10]),
      );
      expect(ages).toEqual({
        'jobs:\\xff\\xfe': 10,
        'jobs:\\\\xff': 20,
        'jobs:z\\xc3': 30,
        'jobs:s\\x80': 40,
        'plain\\\\key': 60,
      });
      expect(values(metrics.redisQueueProcessingLength.name)[0]?.value).toBe(1);
      expect(values(metrics.redisQueueKeys.name).find((v) => v.labels.queue === 'jobs')?.value).toBe(4);
      expect(values(metrics.exporterScrapeErrorsTotal.name).every((v) => v.value === 0)).toBe(true);
    }
    const text = await registry.metrics();
    expect(Buffer.from(text).toString()).toBe(text);
    expect(text).toContain('key="jobs:\\\\xff\\\\xfe"'); // the exposition escapes the label's backslashes again
    // promtool parses it (its lint notes on other families' names are not this test's business).
    const check = await promtoolCheckMetrics(text);
    expect(check.output).not.toMatch(/pars|invalid|utf/i);
  });
});
