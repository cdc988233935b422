import { describe, expect, it } from 'vitest';
import { backoff } from './backoff.js';
import { FlagError, type FlagSpec, parseFlags } from './flags.js';
import { redactUrl } from './logger.js';
import { encodeQueueItem, newQueueItem, parseQueueItem } from './queue-item.js';

const spec = {
  port: { kind: 'int', env: 'PORT', default: 8080, help: 'port' },
  options: { kind: 'list', env: 'VOTE_OPTIONS', default: ['cats', 'dogs'], help: 'options' },
  metrics: { kind: 'bool', default: true, help: 'metrics' },
  databaseUrl: { kind: 'string', env: 'DATABASE_URL', help: 'db' },
} satisfies Record<string, FlagSpec>;

describe('flags', () => {
  it('lets a flag win over its environment variable, and env over the default', () => {
    const r = parseFlags('u', spec, ['--port', '9000', '--no-metrics'], { PORT: '7000', VOTE_OPTIONS: 'a, b' });
    expect(r.kind === 'ok' && r.values).toEqual({
      port: 9000,
      options: ['a', 'b'],
      metrics: false,
      databaseUrl: undefined,
    });
  });
  it('names the culprit on bad input', () => {
    expect(() => parseFlags('u', spec, ['--port', 'x'], {})).toThrow(
      /--port: expected a non-negative integer, got "x"/,
    );
    expect(() => parseFlags('u', spec, ['--nope'], {})).toThrow(FlagError);
    expect(() => parseFlags('u', spec, [], { PORT: '-1' })).toThrow(/environment variable PORT/);
  });
  it('returns help text listing flags and env vars', () => {
    const r = parseFlags('usage: x', spec, ['--help'], {});
    expect(r.kind).toBe('help');
    expect(r.help).toMatch(/--database-url <string>\s+db \(env DATABASE_URL\)/);
  });
});

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

it('redacts passwords in connection URLs', () => {
  expect(redactUrl('redis://user:s3cret@host:6379/0')).toBe('redis://user:***@host:6379/0');
  expect(redactUrl('postgres://postgres@127.0.0.1/voting')).toBe('postgres://postgres@127.0.0.1/voting');
});

it('backs off exponentially up to a cap', () => {
  const b = backoff(100, 1_000, () => 1);
  expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
  b.reset();
  expect(b.next()).toBe(100);
});
