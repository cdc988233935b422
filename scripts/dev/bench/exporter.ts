#!/usr/bin/env node
/**
 * `npm run bench:exporter`: our Redis queue exporter vs prometheus-redis-exporter (oliver006/
 * redis_exporter 1.45, Debian package) in the same run, on the same private redis-server and the
 * same keys: 100, 1,000 and 10,000 list queues of 3 items each (items carry `ts`, as the vote
 * service writes them). Both expose their full default set: redis_exporter every default family
 * plus `-check-keys` on the queue pattern, ours every family plus length and oldest-item age per key.
 *
 * Per key count: scrape wall time (median of interleaved /metrics scrapes), Redis CPU per scrape
 * (INFO used_cpu_sys + used_cpu_user around each scrape), exporter CPU per scrape, and exporter
 * RSS after the scrapes (and its peak at the largest size). Ours runs with the node flags of its
 * bin's shebang, as deployed. Prints one markdown section; `--out FILE` also writes it to FILE.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, startPrivateRedis, waitFor } from '../../../test/support/index.js';
import { repoRoot } from '../repo-root.js';
import { benchMain } from './lib/bench-main.js';
import { cpuSeconds, rssMiB, startChild, stopChild } from './lib/processes.js';
import { f1, f2, median } from './lib/stats.js';

const HELP = `Usage: npm run bench:exporter [-- --out FILE] [--keys 100,1000,10000] [--scrapes N] [--node-flags "..."]

Benchmarks the Redis queue exporter against prometheus-redis-exporter on a private redis-server.
--node-flags replaces the node flags of the exporter's shebang, to measure what a flag buys (none: no flags).
`;

const OURS = join(repoRoot(), 'exporters/redis-queue/build/redis-queue-exporter.js');
const PATTERN = 'bench:q:*';
/** The issue's targets: ours / redis_exporter per key count, and ours alone for memory. */
const WALL_TARGET: Record<number, number> = { 1000: 0.5, 10000: 0.25 };
const REDIS_CPU_TARGET = 0.25;
const RSS_TARGET_MIB = 80;
const RSS_TARGET_KEYS = 10_000;

/** The node flags the exporter's bin runs with: `#!/usr/bin/env -S node --flag ...` in main.js. */
export function shebangFlags(file: string): string[] {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\/usr\/bin\/env(?: -S)? node((?: +--[\w-]+(?:=\S+)?)*) *$/.exec(first);
  if (!m) throw new Error(`${file}: first line is not a node shebang: ${first}`);
  return m[1]!.split(' ').filter(Boolean);
}

interface Exporter {
  name: 'ours' | 'redis_exporter';
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

async function startOurs(redisUrl: string, configFile: string, nodeFlags: readonly string[]): Promise<Exporter> {
  const port = await freePort();
  const proc = startChild(
    process.execPath,
    [
      ...nodeFlags,
      OURS,
      '--listen',
      `127.0.0.1:${port}`,
      '--redis-url',
      redisUrl,
      '--config',
      configFile,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitHttp(`http://127.0.0.1:${port}/health`, proc);
  return { name: 'ours', proc, url: `http://127.0.0.1:${port}/metrics` };
}

/** Default families (no -redis-only-metrics: its Go runtime metrics are the peer of our process metrics). */
async function startTheirs(redisUrl: string): Promise<Exporter> {
  const port = await freePort();
  const proc = startChild(
    'prometheus-redis-exporter',
    ['-redis.addr', redisUrl, '-web.listen-address', `127.0.0.1:${port}`, '-check-keys', PATTERN],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  await waitHttp(`http://127.0.0.1:${port}/`, proc);
  return { name: 'redis_exporter', proc, url: `http://127.0.0.1:${port}/metrics` };
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
  // Traffic before the scrapes, so INFO commandstats, keyspace and latency have rows for both.
  await admin.get('bench:missing');
  await admin.llen('bench:q:0');
}

interface Figures {
  wallMs: number;
  redisCpuMs: number;
  /** The exporter's own CPU (user+system) per scrape. */
  cpuMs: number;
  rss: number;
  peakRss: number;
  /** Per-key queue series in the body (length). */
  keySeries: number;
  families: number;
  series: number;
}

const KEY_SERIES: Record<Exporter['name'], RegExp> = {
  ours: /^redis_queue_length\{/,
  redis_exporter: /^redis_key_size\{/,
};

function peakMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function measure(admin: Redis, exporters: Exporter[], scrapes: number): Promise<Record<string, Figures>> {
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  const body: Record<string, string> = {};
  for (const e of exporters) {
    // Warm-up: connections, and our type cache (a steady-state scrape is what Prometheus sees).
    body[e.name] = await (await fetch(e.url)).text();
    wall[e.name] = [];
    cpu[e.name] = [];
  }
  const cpu0 = Object.fromEntries(exporters.map((e) => [e.name, cpuSeconds(e.proc.pid!)]));
  // Interleaved, so background noise on this shared machine falls on both alike.
  for (let i = 0; i < scrapes; i++) {
    for (const e of exporters) {
      const c0 = await redisCpuMs(admin);
      const t0 = performance.now();
      await (await fetch(e.url)).text();
      wall[e.name]!.push(performance.now() - t0);
      cpu[e.name]!.push((await redisCpuMs(admin)) - c0);
    }
  }
  const out: Record<string, Figures> = {};
  for (const e of exporters) {
    const lines = body[e.name]!.split('\n');
    out[e.name] = {
      wallMs: median(wall[e.name]!),
      redisCpuMs: median(cpu[e.name]!),
      cpuMs: ((cpuSeconds(e.proc.pid!) - cpu0[e.name]!) * 1000) / scrapes,
      rss: rssMiB(e.proc.pid!),
      peakRss: peakMiB(e.proc.pid!),
      keySeries: lines.filter((l) => KEY_SERIES[e.name].test(l)).length,
      families: lines.filter((l) => l.startsWith('# TYPE ')).length,
      series: lines.filter((l) => l !== '' && !l.startsWith('#')).length,
    };
  }
  return out;
}

const mark = (value: number, limit: number | undefined): string =>
  limit === undefined || !Number.isFinite(value) ? '' : value <= limit ? ' ✓' : ' ✗';

benchMain({
  name: 'bench:exporter',
  help: HELP,
  flags: {
    keys: { kind: 'list', default: ['100', '1000', '10000'], help: 'key counts to measure' },
    scrapes: { kind: 'int', default: 9, min: 1, help: 'scrapes per size' },
    nodeFlags: { kind: 'string', arg: 'FLAGS', help: "node flags for ours (default: its shebang's)" },
  },
  run: (args) =>
    compare(
      args.keys.map(Number),
      args.scrapes,
      args.nodeFlags === undefined ? shebangFlags(OURS) : args.nodeFlags.split(' ').filter((f) => f && f !== 'none'),
    ),
});

async function compare(keyCounts: number[], scrapes: number, nodeFlags: readonly string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-exporter-'));
  const configFile = join(dir, 'mixin.yaml');
  writeFileSync(
    configFile,
    `queues:\n  - name: bench\n    key: "${PATTERN}"\n    type: auto\n    processingPattern: "bench:processing:*"\n`,
  );
  const largeScrapes = Math.max(3, Math.ceil(scrapes / 2));
  const redis = await startPrivateRedis();
  const admin = new Redis({ port: redis.port });
  const rows: string[] = [];
  const notes: string[] = [];
  const sets: string[] = [];
  try {
    for (const keys of keyCounts) {
      await fill(admin, keys);
      // Fresh exporters per size, so RSS reflects that size.
      const ours = await startOurs(redis.url, configFile, nodeFlags);
      const theirs = await startTheirs(redis.url);
      try {
        const n = keys >= 10_000 ? largeScrapes : scrapes;
        const f = await measure(admin, [ours, theirs], n);
        const o = f.ours!;
        const t = f.redis_exporter!;
        const k = keys.toLocaleString('en-US');
        if (o.keySeries !== keys || t.keySeries !== keys)
          notes.push(`at ${keys} keys: ours reported ${o.keySeries} queue series, redis_exporter ${t.keySeries}`);
        if (sets.length === 0)
          sets.push(
            `at ${k} keys ours exposes ${o.families} families / ${o.series} series, redis_exporter ${t.families} / ${t.series}`,
          );
        const row = (what: string, ours: number, theirs: number, digits: number, limit?: number): void => {
          const r = ours / theirs;
          const fmt = digits === 2 ? f2 : f1;
          const target = limit === undefined ? '—' : `≤ ${limit}`;
          rows.push(`| ${what}, ${k} keys | ${fmt(ours)} | ${fmt(theirs)} | ${f2(r)}${mark(r, limit)} | ${target} |`);
        };
        row('scrape wall time (median ms)', o.wallMs, t.wallMs, 1, WALL_TARGET[keys]);
        row(
          'Redis CPU per scrape (median ms)',
          o.redisCpuMs,
          t.redisCpuMs,
          2,
          keys >= 1000 ? REDIS_CPU_TARGET : undefined,
        );
        row('exporter CPU per scrape (ms)', o.cpuMs, t.cpuMs, 1);
        const rssLimit = keys === RSS_TARGET_KEYS ? RSS_TARGET_MIB : undefined;
        rows.push(
          `| exporter RSS after scrapes, ${k} keys (MiB) | ${f1(o.rss)}${mark(o.rss, rssLimit)} | ${f1(t.rss)} | ${f2(o.rss / t.rss)} | ${rssLimit ? `ours ≤ ${rssLimit} MiB` : '—'} |`,
        );
        if (keys === Math.max(...keyCounts))
          rows.push(
            `| exporter peak RSS, ${k} keys (MiB) | ${f1(o.peakRss)} | ${f1(t.peakRss)} | ${f2(o.peakRss / t.peakRss)} | — |`,
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
    rmSync(dir, { recursive: true, force: true });
  }
  const flags = nodeFlags.length ? ` ${nodeFlags.join(' ')}` : '';
  return [
    '### Redis queue exporter vs redis_exporter',
    '',
    '| measure | ours | redis_exporter 1.45 | ratio | target |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'Setup: one private redis-server (no persistence); N list keys `bench:q:<i>` of 3 JSON items with `ts`. ' +
      'Both exporters expose their full default set, so each pays for the families it offers: ' +
      `ours is \`node${flags} exporters/redis-queue/build/redis-queue-exporter.js\` (the flags of its bin's shebang) with queue \`${PATTERN}\` ` +
      '(type auto, TYPE cached between scrapes, list heads read by a script per chunk of keys) reporting length and oldest-item age ' +
      'per key, the processing-list pattern, every INFO family and its self and process metrics; ' +
      `redis_exporter is \`prometheus-redis-exporter -check-keys '${PATTERN}'\` with its defaults (every default family, ` +
      'Go runtime and process metrics — not -redis-only-metrics, as our process metrics stay on — and redis_key_size per key). ' +
      `Per key count (${sets[0] ?? 'families not counted'}), both are started fresh, warmed by one scrape, then scraped interleaved ` +
      `${scrapes} times (${largeScrapes} at 10,000 keys). Wall time is the median HTTP /metrics round trip; Redis CPU the median ` +
      'INFO used_cpu_sys+used_cpu_user delta around one scrape; exporter CPU the process user+system time over the scrapes ' +
      '/ scrapes; RSS /proc VmRSS after the scrapes (peak: VmHWM). Ratio = ours / redis_exporter (lower is better); ' +
      'targets from issue 13 (wall ≤ 0.5× at 1,000 keys and ≤ 0.25× at 10,000, Redis CPU ≤ 0.25×, our RSS ≤ 80 MiB at 10,000).',
    ...(notes.length ? ['', `Note: ${notes.join('; ')}.`] : []),
    '',
  ].join('\n');
}
