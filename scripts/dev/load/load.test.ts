/**
 * `npm run load` against the real, compiled vote service (run `npm run compile` first) on the
 * shared Redis with queue keys of its own: the votes it reports accepted are the items in the
 * queues, the options come from the page, users are spread over the URLs, and failures are
 * counted by kind with exit 1 past the threshold.
 */
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQueueItem } from '../../../reference-app/shared/queue-item.js';
import { deleteKeys, freePort, SHARED_REDIS_URL, uniqueId, waitForHttp } from '../../../test/support/index.js';
import { serviceScript } from '../bench/app-services.js';
import { startChild, stopChild } from '../bench/lib/processes.js';
import { captureIO } from './capture-io.js';
import { loadMain } from './main.js';

const prefix = `${uniqueId('load')}:`;
const queues = [`${prefix}a`, `${prefix}b`];
const urls: string[] = [];
const procs: ChildProcess[] = [];
let redis: Redis;

const io = captureIO;

/** The accepted count in the summary table. */
const acceptedOf = (out: string): number =>
  Number(/\| accepted votes \(2xx\) \| ([\d,]+) \|/.exec(out)![1]!.replace(/,/g, ''));

beforeAll(async () => {
  redis = new Redis(SHARED_REDIS_URL);
  for (const queue of queues) {
    const port = await freePort();
    const args = [serviceScript('vote'), '--port', String(port), '--host', '127.0.0.1', '--log-level', 'warn'];
    procs.push(
      startChild(process.execPath, [
        ...args,
        '--redis-url',
        SHARED_REDIS_URL,
        '--queue',
        queue,
        '--options',
        'red,blue',
      ]),
    );
    urls.push(`http://127.0.0.1:${port}`);
  }
  for (const u of urls) await waitForHttp(`${u}/ready`, 20_000);
});

afterAll(async () => {
  await Promise.all(procs.map(stopChild));
  await deleteKeys(SHARED_REDIS_URL, prefix);
  redis?.disconnect();
});

describe('npm run load against the vote service', () => {
  it('loads every URL with the options of the page; what it reports accepted is what was queued', async () => {
    const c = io();
    const code = await loadMain(
      ['--scenario', 'normal', '--users', '4', '--url', urls.join(','), '--duration', '2s'],
      c,
    );
    expect(c.err).not.toMatch(/failures|no vote/);
    expect(code).toBe(0);
    expect(c.err).toContain(`load: normal (a normal day), 4 users over ${urls.join(', ')} for 2s, options red,blue`);
    // Not a terminal: one plain progress line per second.
    expect(c.err).toMatch(/\nload: 1s\/2s {2}[\d,]+ votes\/s {2}errors 0\n/);
    expect(c.err).not.toContain('\r');
    expect(c.out).toContain('### load: normal (a normal day), 4 users, 2 s');
    expect(c.out).toMatch(/\| latency p50 \/ p95 \/ p99 \/ max \| [\d.]+ \/ [\d.]+ \/ [\d.]+ \/ [\d.]+ ms \|/);
    expect(c.out).toContain('| failures | 0 (0.00 % of attempts; tolerated 0 %) |');
    const lens = await Promise.all(queues.map((q) => redis.llen(q)));
    expect(lens.every((n) => n > 0)).toBe(true);
    // Votes in flight when the time is up may be queued without their answer counted: at most one per user.
    const queued = lens[0]! + lens[1]!;
    expect(acceptedOf(c.out)).toBeGreaterThan(0);
    expect(queued - acceptedOf(c.out)).toBeGreaterThanOrEqual(0);
    expect(queued - acceptedOf(c.out)).toBeLessThanOrEqual(4);
    const items = (await redis.lrange(queues[0]!, 0, 99)).map(parseQueueItem);
    const options = new Set(items.map((r) => (r.ok ? r.item.option : r.reason)));
    expect(options).toEqual(new Set(['red', 'blue']));
    // Cookieless: every vote is a new voter the service issued.
    const voters = new Set(items.map((r) => (r.ok ? r.item.voter : '')));
    expect(voters.size).toBe(items.length);
  });

  it('refused votes are failures by status: exit 1 past --max-error-pct, 0 within it', async () => {
    const argv = [
      '--scenario',
      'normal',
      '--users',
      '2',
      '--url',
      urls[0]!,
      '--duration',
      '1s',
      '--options',
      'red,nope',
    ];
    const strict = io();
    expect(await loadMain(argv, strict)).toBe(1);
    expect(strict.out).toMatch(/\| failures: HTTP 400 \| [\d,]+ \|/);
    expect(strict.out).toMatch(/\| failures \| [\d,]+ \((4\d|50)\.\d\d % of attempts; tolerated 0 %\) \|/);
    expect(strict.err).toMatch(/load: failures \d+\.\d\d % of attempts, above --max-error-pct 0: HTTP 400 ×\d+\n$/);
    const lenient = io();
    expect(await loadMain([...argv, '--max-error-pct', '60'], lenient)).toBe(0);
  });
});
