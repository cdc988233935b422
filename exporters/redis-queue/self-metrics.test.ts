// The exporter's self metrics against the real redis_exporter 1.45 (Debian's
// prometheus-redis-exporter) on one private redis-server: the same families, types and label
// names, and the same meaning for a reachable and an unreachable Redis.
import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from 'voting-mixin/config';
import {
  freePort,
  type PrivateRedis,
  promtoolCheckMetrics,
  startPrivateRedis,
  waitForHttp,
} from '../../test/support/index.js';
import { QueueCollector } from './collector.js';
import { buildInfo } from './self-metrics.js';
import { exporterVersion } from './version.js';

/**
 * `family → "type {label,names}"` of an exposition's families named by `isSelf` (samples of a
 * summary, `_sum` and `_count`, belong to its family). Written here, not taken from the exporter.
 */
function shape(text: string): Record<string, string> {
  const types = new Map<string, string>();
  const labels = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) types.set(t[1]!, t[2]!);
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (!m) continue;
    const base = m[1]!.replace(/_(sum|count)$/, '');
    const name = types.get(base) === 'summary' ? base : m[1]!;
    const set = labels.get(name) ?? new Set<string>();
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)) set.add(l[1]!);
    labels.set(name, set);
  }
  return Object.fromEntries(
    [...labels]
      .filter(([name]) => isSelf(name))
      .map(([name, set]) => [name, `${types.get(name)} {${[...set].sort().join(',')}}`]),
  );
}

/** redis_exporter's self-metric families: its own, not Redis's. */
const isSelf = (name: string): boolean => name.startsWith('redis_exporter_') || name.startsWith('redis_target_');

/** The value of the one sample of `name` whose text starts with `prefix` (labels included). */
function sample(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(prefix) && /[ {]/.test(l.charAt(prefix.length)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

let redis: PrivateRedis;
let theirs: ChildProcess | undefined;
let theirsBase = '';
let deadPort = 0;
const clients: Redis[] = [];

function ourCollector(port: number): { reg: Registry; c: QueueCollector } {
  const client = new Redis({ port, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  clients.push(client);
  client.connect().catch(() => undefined);
  const reg = new Registry();
  const c = new QueueCollector(client, reg, {
    queues: [],
    pipelineSize: 100,
    scanCount: 100,
    timeoutMs: 2000,
    typeCache: true,
    secrets: [],
  });
  return { reg, c };
}

beforeAll(async () => {
  redis = await startPrivateRedis();
  deadPort = await freePort(); // nothing listens there
  const port = await freePort();
  theirs = spawn('prometheus-redis-exporter', ['-redis.addr', redis.url, '-web.listen-address', `127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  theirs.once('error', () => {});
  theirsBase = `http://127.0.0.1:${port}`;
  await waitForHttp(`${theirsBase}/metrics`, 10_000);
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  const p = theirs;
  if (p && p.exitCode === null && p.signalCode === null) {
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  }
  await redis?.stop();
});

describe("redis_exporter's self metrics", () => {
  it('has the same families, types and label names as redis_exporter 1.45, reachable or not', async () => {
    const { reg } = ourCollector(redis.port);
    const ours = await reg.metrics();
    const real = await (await fetch(`${theirsBase}/metrics`)).text();
    expect(Object.keys(shape(real)).length).toBeGreaterThanOrEqual(7);
    expect(shape(ours)).toEqual(shape(real));

    const dead = ourCollector(deadPort);
    const oursDown = await dead.reg.metrics();
    const target = encodeURIComponent(`redis://127.0.0.1:${deadPort}`);
    const realDown = await (await fetch(`${theirsBase}/scrape?target=${target}`)).text();
    expect(shape(oursDown)).toEqual(shape(realDown));
  });

  it('means what redis_exporter means: an error with its text when Redis is unreachable, none when it answers', async () => {
    const { reg } = ourCollector(redis.port);
    let text = await reg.metrics();
    expect(sample(text, 'redis_up')).toBe(1);
    expect(sample(text, 'redis_exporter_last_scrape_error{err=""}')).toBe(0);
    expect(sample(text, 'redis_exporter_scrapes_total')).toBe(1);
    text = await reg.metrics();
    expect(sample(text, 'redis_exporter_scrapes_total')).toBe(2);
    expect(sample(text, 'redis_exporter_scrape_duration_seconds_count')).toBe(2);
    expect(sample(text, 'redis_exporter_last_scrape_duration_seconds')).toBe(
      sample(text, metrics.exporterScrapeDurationSeconds.name),
    );
    expect(sample(text, 'redis_exporter_last_scrape_connect_time_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'redis_target_scrape_request_errors_total')).toBe(0);

    const target = encodeURIComponent(`redis://127.0.0.1:${deadPort}`);
    const realDown = await (await fetch(`${theirsBase}/scrape?target=${target}`)).text();
    const dead = ourCollector(deadPort);
    const oursDown = await dead.reg.metrics();
    for (const down of [realDown, oursDown]) {
      expect(sample(down, 'redis_up')).toBe(0);
      expect(down).toMatch(/^redis_exporter_last_scrape_error\{err="[^"]+"\} 1$/m);
      expect(sample(down, 'redis_exporter_scrapes_total')).toBe(1);
    }
    expect(oursDown).toMatch(/^redis_exporter_last_scrape_error\{err="Redis is not connected \(/m);
  });

  it('carries our version and runtime in build_info, and passes promtool', async () => {
    expect(buildInfo()).toEqual({
      version: exporterVersion(),
      commit_sha: 'unknown',
      build_date: 'unknown',
      golang_version: `node${process.versions.node}`,
    });
    const { reg } = ourCollector(redis.port);
    const text = await reg.metrics();
    expect(text).toContain(
      `redis_exporter_build_info{version="${exporterVersion()}",commit_sha="unknown",build_date="unknown",golang_version="node${process.versions.node}"} 1`,
    );
    // Only our own families: the INFO ones are checked with their own lint exceptions elsewhere.
    const selfOnly = text
      .split('\n\n')
      .filter((block) => /^# HELP (redis_exporter_|redis_target_|redis_queue_exporter_)/.test(block))
      .join('\n\n');
    const r = await promtoolCheckMetrics(`${selfOnly}\n`);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });
});
