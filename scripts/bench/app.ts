#!/usr/bin/env node
/**
 * `npm run bench:app`: the compiled vote service (child processes) against a private
 * redis-server, loaded over loopback with autocannon in the original load plan's two scenarios
 * (normal: 50 connections, flash sale: 300), an open loop at a fixed rate, metrics on vs off, and
 * one worker draining 100,000 queued votes into PostgreSQL. Prints one markdown section.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { encodeQueueItem, newQueueItem } from '../../reference-app/shared/queue-item.js';
import { processingKey } from '../../reference-app/shared/keys.js';

const HELP = `Usage: npm run bench:app [-- --out FILE] [--instances N] [--seconds S] [--drain N]

Starts N vote instances (default 2, compiled: run \`npm run compile\` first) against a private
redis-server, measures closed loop at 50 and 300 connections, open loop at 2,000 votes/s,
metrics on vs off, and one worker draining --drain votes (default 100000) into PostgreSQL
(postgres://postgres@127.0.0.1:5432, a temporary database). Prints one markdown section.
`;

// The original load plan's naive FastAPI + MariaDB backend, quoted (not measured here).
const PEER = { rps: 361, p95Ms: 23_800 };
const TARGETS = { rps300: 5_000, openP99Ms: 25, overheadPct: 10, drain: 10_000 };
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const children: ChildProcess[] = [];
/** user+system CPU seconds of a child process so far (Linux /proc; clock ticks are 1/100 s). */
function cpuSeconds(child: ChildProcess): number {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function until(what: string, fn: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  // Service logs go to /dev/null but are still produced (info level, one line per request): honest cost.
  const child = spawn(cmd, args, { stdio: 'ignore', env: { ...process.env, ...env } });
  children.push(child);
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([gone, sleep(5_000).then(() => child.kill('SIGKILL'))]);
}

async function startVotes(n: number, redisUrl: string, queue: string, metrics: boolean): Promise<{ urls: string[]; procs: ChildProcess[] }> {
  const urls: string[] = [];
  const procs: ChildProcess[] = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    const args = [path.join(ROOT, 'build/reference-app/vote/main.js'), '--port', String(port), '--host', '127.0.0.1', '--redis-url', redisUrl, '--queue', queue];
    if (!metrics) args.push('--no-metrics');
    procs.push(start(process.execPath, args));
    urls.push(`http://127.0.0.1:${port}`);
  }
  for (const u of urls) await until(`${u}/ready`, async () => (await fetch(`${u}/ready`)).ok);
  return { urls, procs };
}

interface Load {
  rps: number;
  accepted: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

const pct = (sorted: Float64Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function load(urls: string[], connections: number, seconds: number, overallRate?: number): Promise<Load> {
  let lat = new Float64Array(1 << 16);
  let n = 0;
  const opts = {
    // autocannon spreads connections over an array of URLs (and ignores `path` when given one).
    url: urls.map((u) => `${u}/vote`) as unknown as string,
    connections,
    duration: seconds,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ option: 'cats', voter: 'bench-voter' }),
    ...(overallRate ? { overallRate } : {}),
  };
  const onResponse = (_c: unknown, _status: number, _bytes: number, ms: number): void => {
    if (n === lat.length) {
      const bigger = new Float64Array(lat.length * 2);
      bigger.set(lat);
      lat = bigger;
    }
    lat[n++] = ms;
  };
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', onResponse);
  });
  const sorted = lat.subarray(0, n).sort();
  const accepted = r['2xx'];
  return { rps: accepted / seconds, accepted, errors: r.errors + r.timeouts + r.non2xx, p50: pct(sorted, 50), p95: pct(sorted, 95), p99: pct(sorted, 99) };
}

async function drain(redisUrl: string, dbUrl: string, total: number): Promise<{ seconds: number; rps: number; written: number }> {
  const queue = 'bench:drain';
  const port = await freePort();
  const worker = start(process.execPath, [path.join(ROOT, 'build/reference-app/worker/main.js'), '--port', String(port), '--host', '127.0.0.1', '--redis-url', redisUrl, '--database-url', dbUrl, '--queue', queue, '--worker-id', 'bench-w1', '--enable-admin']);
  const base = `http://127.0.0.1:${port}`;
  await until('worker ready', async () => (await fetch(`${base}/ready`)).ok);
  const admin = (body: string) => fetch(`${base}/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await admin('{"paused":true}');
  await sleep(1_200); // let a blocked BLMOVE time out so nothing is taken before the clock starts
  const redis = new Redis(redisUrl);
  const now = Date.now();
  for (let i = 0; i < total; i += 1_000) {
    const chunk = Array.from({ length: Math.min(1_000, total - i) }, (_, k) => encodeQueueItem(newQueueItem(`d${i + k}`, (i + k) % 3 ? 'cats' : 'dogs', now + i + k)));
    await redis.lpush(queue, ...chunk);
  }
  const t0 = process.hrtime.bigint();
  await admin('{"paused":false}');
  await until('queue drained', async () => (await redis.llen(queue)) + (await redis.llen(processingKey(queue, 'bench-w1'))) === 0, 120_000);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const written = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM vote_events')).rows[0]!.n);
  await c.end();
  redis.disconnect();
  await stop(worker);
  return { seconds, rps: total / seconds, written };
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);
const ok = (b: boolean) => (b ? 'met' : '**missed**');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, instances: { type: 'string', default: '2' }, seconds: { type: 'string', default: '8' }, drain: { type: 'string', default: '100000' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const instances = Number(values.instances);
  const secs = Number(values.seconds);
  const drainN = Number(values.drain);
  if (![instances, secs, drainN].every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write('bench:app: --instances, --seconds and --drain must be positive integers\n');
    return 2;
  }
  const redisPort = await freePort();
  start('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  probe.on('error', () => {});
  await until('redis-server', async () => (await probe.ping()) === 'PONG');
  const dbName = `bench_app_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(PG_ADMIN);
  dbUrl.pathname = `/${dbName}`;
  const queue = 'bench:votes';
  const log = (s: string) => process.stderr.write(`bench:app: ${s}\n`);
  try {
    log(`${instances} vote instance(s), metrics on`);
    let v = await startVotes(instances, redisUrl, queue, true);
    await load(v.urls, 50, 2); // warm-up (JIT, connections)
    const c50 = await load(v.urls, 50, secs);
    log(`closed 50: ${f0(c50.rps)}/s`);
    const c300 = await load(v.urls, 300, secs);
    log(`closed 300: ${f0(c300.rps)}/s`);
    const open = await load(v.urls, 100, secs + 2, 2_000);
    log(`open 2000/s: p99 ${f1(open.p99)} ms`);
    await probe.del(queue);
    // Metrics on vs off, alternated so drift in background load hits both sides alike. Throughput
    // swings with whatever else runs on the machine, so the vote processes' own CPU time per
    // accepted vote is measured too: that is the instrumentation's cost, and it is what turns into
    // lost throughput once the service is CPU bound.
    const runs: Record<'on' | 'off', { rps: number[]; cpuUs: number[] }> = { on: { rps: [], cpuUs: [] }, off: { rps: [], cpuUs: [] } };
    await Promise.all(v.procs.map(stop));
    for (const metrics of [false, true, false, true]) {
      v = await startVotes(instances, redisUrl, queue, metrics);
      await load(v.urls, 300, 2);
      const cpu0 = v.procs.map(cpuSeconds);
      const r = await load(v.urls, 300, Math.max(4, secs - 3));
      const cpu = v.procs.map(cpuSeconds).reduce((a, c, i) => a + c - cpu0[i]!, 0);
      const side = runs[metrics ? 'on' : 'off'];
      side.rps.push(r.rps);
      side.cpuUs.push((cpu / r.accepted) * 1e6);
      log(`overhead run metrics=${metrics}: ${f0(r.rps)}/s, ${f0((cpu / r.accepted) * 1e6)} µs CPU per vote`);
      await Promise.all(v.procs.map(stop));
      await probe.del(queue);
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const onRps = mean(runs.on.rps);
    const offRps = mean(runs.off.rps);
    const onCpu = mean(runs.on.cpuUs);
    const offCpu = mean(runs.off.cpuUs);
    const cpuPct = ((onCpu - offCpu) / onCpu) * 100; // share of each vote's CPU spent on instrumentation
    log(`draining ${drainN} votes with one worker`);
    const d = await drain(redisUrl, dbUrl.toString(), drainN);
    log(`drain: ${f0(d.rps)}/s, ${d.written} written`);

    const rows = [
      '| measure | ours | peer (reference) | ratio | target | |',
      '|---|---|---|---|---|---|',
      `| normal, closed loop 50 conns: accepted votes/s | ${f0(c50.rps)} | — | — | — | errors ${c50.errors}; p50/p95/p99 ${f1(c50.p50)}/${f1(c50.p95)}/${f1(c50.p99)} ms |`,
      `| flash sale, closed loop 300 conns: accepted votes/s | ${f0(c300.rps)} | ${PEER.rps} req/s (quoted) | ${f1(c300.rps / PEER.rps)}× | ≥ ${f0(TARGETS.rps300)}, 0 errors | ${ok(c300.rps >= TARGETS.rps300 && c300.errors === 0)}; errors ${c300.errors} |`,
      `| flash sale, closed loop 300 conns: p95 latency | ${f1(c300.p95)} ms | ${f1(PEER.p95Ms / 1000)} s (quoted) | ${f0(PEER.p95Ms / c300.p95)}× lower | — | p50/p99 ${f1(c300.p50)}/${f1(c300.p99)} ms |`,
      `| open loop at 2,000 votes/s: p99 latency | ${f1(open.p99)} ms | — | — | < ${TARGETS.openP99Ms} ms | ${ok(open.p99 < TARGETS.openP99Ms && open.errors === 0)}; achieved ${f0(open.rps)}/s, errors ${open.errors}, p50/p95 ${f1(open.p50)}/${f1(open.p95)} ms |`,
      `| instrumentation overhead: vote CPU µs per accepted vote, metrics on vs off | ${f0(onCpu)} µs | ${f0(offCpu)} µs (metrics off, same run) | ${(onCpu / offCpu).toFixed(2)}× CPU per vote | loss ≤ ${TARGETS.overheadPct} % | ${ok(cpuPct <= TARGETS.overheadPct)}; CPU-bound throughput loss ${f1(cpuPct)} %${cpuPct < 0 ? ' (negative: below the noise)' : ''} |`,
      `| instrumentation overhead, 300 conns: votes/s metrics on vs off | ${f0(onRps)} | ${f0(offRps)} (metrics off, same run) | ${f1((onRps / offRps) * 100)} % | — | noisy: mean of ${runs.on.rps.length} on / ${runs.off.rps.length} off runs of ${Math.max(4, secs - 3)} s, alternated |`,
      `| worker drain, ${f0(drainN)} queued votes → PostgreSQL, 1 worker: votes/s | ${f0(d.rps)} | — | — | ≥ ${f0(TARGETS.drain)} | ${ok(d.rps >= TARGETS.drain && d.written === drainN)}; ${f1(d.seconds)} s, ${f0(d.written)} rows in vote_events |`,
    ];
    const section = [
      '### Reference app: vote service and worker',
      '',
      ...rows,
      '',
      `Setup: ${instances} compiled vote instance(s) (Node ${process.version}, info-level JSON logs to /dev/null) and a private redis-server on one ${cpus().length}-core machine, with autocannon (${'closed loop: each connection sends the next vote when the previous answer arrives'}) in the same process tree over loopback, spread over the instances; ${secs} s per run after a warm-up. The open loop is autocannon's overallRate (2,000 req/s over 100 connections), which still waits per connection, so it approximates an open loop. "Accepted" = 202 after Redis acknowledged the LPUSH. The peer figures are quoted from the original load plan (its naive FastAPI + MariaDB backend, 361 req/s with p95 23.8 s in the flash-sale scenario), not measured on this machine. Drain: one worker, batch size 200, one INSERT … ON CONFLICT statement per batch into votes + vote_events, timed from unpausing a worker that holds 0 items to an empty queue and processing list. Other work on the machine makes absolute figures noisy.`,
      '',
    ].join('\n');
    process.stdout.write(section);
    if (values.out) await writeFile(values.out, section);
    return 0;
  } finally {
    probe.disconnect();
    await Promise.all(children.map(stop));
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

main().then(
  (code) => process.exit(code),
  async (err: Error) => {
    process.stderr.write(`bench:app: ${err.message}\n`);
    await Promise.all(children.map(stop));
    process.exit(1);
  },
);
