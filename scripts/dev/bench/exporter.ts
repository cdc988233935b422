#!/usr/bin/env node
/**
 * `npm run bench:exporter`: our Redis queue exporter vs prometheus-redis-exporter (oliver006/
 * redis_exporter, Debian package) in the same run, on the same private redis-server and the same
 * keys: 100, 1,000 and 10,000 list queues of 3 items each (items carry `ts`, as the vote service
 * writes them). redis_exporter reports each key's length (--check-keys with the same pattern);
 * ours reports length AND oldest-item age, plus the (empty) processing-list pattern.
 *
 * Per key count: scrape wall time (median of interleaved /metrics scrapes), Redis CPU per scrape
 * (INFO used_cpu_sys + used_cpu_user around each scrape) and exporter RSS after the scrapes.
 * Prints one markdown section; `--out FILE` also writes it to FILE.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, startPrivateRedis, waitFor } from '../../../test/support/index.js';
import { repoRoot } from '../repo-root.js';
import { benchMain } from './lib/bench-main.js';
import { rssMiB, startChild, stopChild } from './lib/processes.js';
import { f1, f2, median } from './lib/stats.js';

const HELP = `Usage: npm run bench:exporter [-- --out FILE] [--keys 100,1000,10000] [--scrapes N]

Benchmarks the Redis queue exporter against prometheus-redis-exporter on a private redis-server.
`;

const OURS = join(repoRoot(), 'exporters/redis-queue/build/main.js');
const PATTERN = 'bench:q:*';

interface Exporter {
  name: string;
  proc: ChildProcess;
  url: string;
}

async function waitHttp(url: string, proc: ChildProcess): Promise<void> {
  await waitFor(
    `${url} to answer`,
    async () => {
      if (proc.exitCode !== null) throw new Error(`${url}: exporter exited with ${proc.exitCode}`);
      return (await fetch(url)).ok;
    },
    10_000,
  );
}

async function startOurs(redisUrl: string, configFile: string): Promise<Exporter> {
  const port = await freePort();
  const proc = startChild(
    process.execPath,
    [OURS, '--listen', `127.0.0.1:${port}`, '--redis-url', redisUrl, '--config', configFile, '--log-level', 'warn'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}/metrics`;
  await waitHttp(`http://127.0.0.1:${port}/health`, proc);
  return { name: 'ours', proc, url };
}

async function startTheirs(redisUrl: string): Promise<Exporter> {
  const port = await freePort();
  const proc = startChild(
    'prometheus-redis-exporter',
    [
      '-redis.addr',
      redisUrl,
      '-web.listen-address',
      `127.0.0.1:${port}`,
      '-check-keys',
      PATTERN,
      '-redis-only-metrics',
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const url = `http://127.0.0.1:${port}/metrics`;
  await waitHttp(`http://127.0.0.1:${port}/`, proc);
  return { name: 'redis_exporter', proc, url };
}

async function redisCpuMs(admin: Redis): Promise<number> {
  const info = await admin.info('cpu');
  const num = (f: string): number => Number(new RegExp(`${f}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return (num('used_cpu_sys') + num('used_cpu_user')) * 1000;
}

async function fill(admin: Redis, keys: number): Promise<void> {
  await admin.flushall();
  const now = Date.now();
  for (let at = 0; at < keys; at += 1000) {
    const p = admin.pipeline();
    for (let i = at; i < Math.min(keys, at + 1000); i++) {
      const items = [0, 1, 2].map((k) =>
        JSON.stringify({ id: `${i}-${k}`, voter: `v${i}`, option: 'cats', ts: now - (3 - k) * 1000 - i }),
      );
      p.lpush(`bench:q:${i}`, ...items);
    }
    await p.exec();
  }
}

interface Figures {
  wallMs: number;
  cpuMs: number;
  rss: number;
  series: number;
}

async function measure(
  admin: Redis,
  exporters: Exporter[],
  scrapes: number,
  seriesRe: Record<string, RegExp>,
): Promise<Record<string, Figures>> {
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  const series: Record<string, number> = {};
  for (const e of exporters) {
    // Warm-up: connections, and our type cache (a steady-state scrape is what Prometheus sees).
    const body = await (await fetch(e.url)).text();
    series[e.name] = body.split('\n').filter((l) => seriesRe[e.name]!.test(l)).length;
    wall[e.name] = [];
    cpu[e.name] = [];
  }
  // Interleaved, so background noise on this shared machine falls on both alike.
  for (let i = 0; i < scrapes; i++) {
    for (const e of exporters) {
      const c0 = await redisCpuMs(admin);
      const t0 = performance.now();
      const r = await fetch(e.url);
      await r.text();
      wall[e.name]!.push(performance.now() - t0);
      cpu[e.name]!.push((await redisCpuMs(admin)) - c0);
    }
  }
  const out: Record<string, Figures> = {};
  for (const e of exporters) {
    out[e.name] = {
      wallMs: median(wall[e.name]!),
      cpuMs: median(cpu[e.name]!),
      rss: rssMiB(e.proc.pid!),
      series: series[e.name]!,
    };
  }
  return out;
}

const fmt = (n: number, digits = 1): string => (digits === 2 ? f2(n) : f1(n));

benchMain({
  name: 'bench:exporter',
  help: HELP,
  flags: {
    keys: { kind: 'list', default: ['100', '1000', '10000'], help: 'key counts to measure' },
    scrapes: { kind: 'int', default: 9, min: 1, help: 'scrapes per size' },
  },
  run: (args) => compare(args.keys.map(Number), args.scrapes),
});

async function compare(keyCounts: number[], scrapes: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-exporter-'));
  const configFile = join(dir, 'mixin.yaml');
  writeFileSync(
    configFile,
    `queues:\n  - name: bench\n    key: "${PATTERN}"\n    type: auto\n    processingPattern: "bench:processing:*"\n`,
  );

  const redis = await startPrivateRedis();
  const admin = new Redis({ port: redis.port });
  const rows: string[] = [];
  const notes: string[] = [];
  try {
    for (const keys of keyCounts) {
      await fill(admin, keys);
      // Fresh exporters per size, so RSS reflects that size.
      const ours = await startOurs(redis.url, configFile);
      const theirs = await startTheirs(redis.url);
      try {
        const n = keys >= 10_000 ? Math.max(3, Math.ceil(scrapes / 2)) : scrapes;
        const f = await measure(admin, [ours, theirs], n, {
          ours: /^redis_queue_length\{/,
          redis_exporter: /^redis_key_size\{/,
        });
        const o = f.ours!;
        const t = f.redis_exporter!;
        if (o.series !== keys || t.series !== keys)
          notes.push(`at ${keys} keys: ours reported ${o.series} queue series, redis_exporter ${t.series}`);
        const target = keys >= 10_000 ? '≤ 0.5' : keys >= 1000 ? '≤ 1.0' : '—';
        const ok = (r: number, lim: number | undefined): string => (lim === undefined ? '' : r <= lim ? ' ✓' : ' ✗');
        const lim = keys >= 10_000 ? 0.5 : keys >= 1000 ? 1 : undefined;
        const k = keys.toLocaleString('en-US');
        const wr = o.wallMs / t.wallMs;
        rows.push(
          `| scrape wall time, ${k} keys (median ms) | ${fmt(o.wallMs)} | ${fmt(t.wallMs)} | ${fmt(wr, 2)}${ok(wr, lim)} | ${target} |`,
        );
        rows.push(
          `| Redis CPU per scrape, ${k} keys (ms) | ${fmt(o.cpuMs, 2)} | ${fmt(t.cpuMs, 2)} | ${fmt(o.cpuMs / t.cpuMs, 2)} | — |`,
        );
        rows.push(
          `| exporter RSS after scrapes, ${k} keys (MiB) | ${fmt(o.rss)} | ${fmt(t.rss)} | ${fmt(o.rss / t.rss, 2)} | — |`,
        );
        process.stderr.write(`bench:exporter: ${k} keys done (${n} scrapes each)\n`);
      } finally {
        await stopChild(ours.proc);
        await stopChild(theirs.proc);
      }
    }
  } finally {
    admin.disconnect();
    await redis.stop();
  }
  const section = [
    '### Redis queue exporter vs redis_exporter',
    '',
    '| measure | ours | redis_exporter 1.45 | ratio | target |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Setup: one private redis-server ${''}(no persistence); N list keys \`bench:q:<i>\` of 3 JSON items with \`ts\`. ` +
      `Ours: \`node exporters/redis-queue/build/main.js\` with queue \`${PATTERN}\` (type auto, TYPE cached between scrapes; list reads batched in one read-only script call per 500 keys, pipelined) ` +
      'reporting length + oldest-item age per key, plus the processing-list pattern. ' +
      `redis_exporter: \`prometheus-redis-exporter -check-keys '${PATTERN}' -redis-only-metrics\` (length per key). ` +
      `Both started fresh per size, warmed by one scrape, then scraped interleaved ${scrapes} times (${Math.max(3, Math.ceil(scrapes / 2))} at 10,000 keys); ` +
      'wall time is the median HTTP /metrics round trip; Redis CPU is the median INFO used_cpu_sys+used_cpu_user delta around one scrape; ' +
      'RSS is /proc VmRSS after the scrapes. Ratio = ours / redis_exporter (lower is better).',
    ...(notes.length ? ['', `Note: ${notes.join('; ')}.`] : []),
    '',
  ].join('\n');
  rmSync(dir, { recursive: true, force: true });
  return section;
}
