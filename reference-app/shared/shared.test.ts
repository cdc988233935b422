import { describe, expect, it } from 'vitest';
import { redactUrl, UsageError } from 'voting-mixin/runtime';
import { backoff } from './backoff.js';
import { createLogger, isoTime } from './logger.js';
import { encodeQueueItem, newQueueItem, parseQueueItem } from './queue-item.js';

describe('queue item', () => {
  it('round-trips and rejects what would wedge a worker', () => {
    const item = newQueueItem('v1', 'cats', 1_700_000_000_000);
    expect(parseQueueItem(encodeQueueItem(item))).toEqual({ ok: true, item });
    for (const bad of [
      '',
      'null',
      '{}',
      '{"id":"1","voter":"v","option":"o","ts":1}',
      JSON.stringify({ ...item, ts: -1 }),
      JSON.stringify({ ...item, voter: 'a b' }),
    ]) {
      expect(parseQueueItem(bad).ok).toBe(false);
    }
  });
});

it('redacts passwords in the connection URLs the services log', () => {
  expect(redactUrl('redis://user:s3cret@host:6379/0')).toBe('redis://user:***@host:6379/0');
  expect(redactUrl('postgres://postgres@127.0.0.1/voting')).toBe('postgres://postgres@127.0.0.1/voting');
});

it('backs off exponentially up to a cap', () => {
  const b = backoff(100, 1_000, () => 1);
  expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
  b.reset();
  expect(b.next()).toBe(100);
});

it('refuses an unknown log level as a usage error', () => {
  expect(() => createLogger('vote', 'loud')).toThrow(UsageError);
  expect(() => createLogger('vote', 'loud')).toThrow(/log level "loud" is not one of fatal, error/);
});

describe('log lines', () => {
  it("carry pino's numeric level, which the overview's error-log panel filters on (level >= 50)", async () => {
    const { PassThrough } = await import('node:stream');
    const { defineConfig, overviewDashboard } = await import('voting-mixin');
    const overview = JSON.stringify(overviewDashboard(defineConfig()));
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const logger = createLogger('vote', 'info', out);
    logger.error({ url: 'redis://u:s3cret@h' }, 'boom');
    logger.info('fine');
    await new Promise((r) => setImmediate(r));
    const [err, info] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; time: string });
    expect(overview).toContain('| json | level >= 50');
    expect(err!.level).toBeGreaterThanOrEqual(50);
    expect(info!.level).toBeLessThan(50);
    expect(err!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

it('timestamps log lines as pino isoTime does, formatted once per millisecond', () => {
  const a = isoTime();
  expect(a).toMatch(/^,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
  const ms = Date.parse(a.slice(9, -1));
  expect(Math.abs(Date.now() - ms)).toBeLessThan(1_000);
  const b = isoTime();
  expect(b === a || Date.parse(b.slice(9, -1)) > ms).toBe(true);
});
