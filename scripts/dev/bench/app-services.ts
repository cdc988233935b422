/** The compiled reference-app services a benchmark starts (run `npm run compile` first). */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from '../../../test/support/index.js';
import { repoRoot } from '../repo-root.js';
import { startChild } from './lib/processes.js';

export function serviceScript(service: 'vote' | 'worker'): string {
  const script = join(repoRoot(), 'reference-app/build', service, 'main.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run compile\` first`);
  return script;
}

const ready = (url: string): Promise<boolean> =>
  waitFor(`${url}/ready`, async () => (await fetch(`${url}/ready`)).ok, 15_000);

/** One vote instance per entry of `metrics` (true = instrumented), each pushing onto `queues[i]`. */
export async function startVotes(opts: {
  metrics: readonly boolean[];
  redisUrl: string;
  queues: readonly string[];
  /** More vote flags (`--behind-proxy`: every request through express, the fast POST /vote off). */
  extraArgs?: readonly string[];
}): Promise<{ urls: string[]; procs: ChildProcess[] }> {
  const urls: string[] = [];
  const procs: ChildProcess[] = [];
  for (const [i, on] of opts.metrics.entries()) {
    const port = await freePort();
    const args = [serviceScript('vote'), '--port', String(port), '--host', '127.0.0.1'];
    args.push('--redis-url', opts.redisUrl, '--queue', opts.queues[i]!);
    if (!on) args.push('--no-metrics');
    args.push(...(opts.extraArgs ?? []));
    // Service logs go to /dev/null but are still produced (info level, one line per request): honest cost.
    procs.push(startChild(process.execPath, args));
    urls.push(`http://127.0.0.1:${port}`);
  }
  for (const u of urls) await ready(u);
  return { urls, procs };
}

/**
 * `count` bare servers (bare-vote-server.ts: node:http + LPUSH, nothing else) on `queue`, the
 * floor the vote service's throughput is compared with.
 */
export async function startBareVotes(opts: {
  count: number;
  redisUrl: string;
  queue: string;
}): Promise<{ urls: string[]; procs: ChildProcess[] }> {
  const script = join(repoRoot(), 'build/scripts/dev/bench/bare-vote-server.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run compile\` first`);
  const urls: string[] = [];
  const procs: ChildProcess[] = [];
  for (let i = 0; i < opts.count; i++) {
    const port = await freePort();
    const args = [script, '--port', String(port), '--host', '127.0.0.1'];
    procs.push(startChild(process.execPath, [...args, '--redis-url', opts.redisUrl, '--queue', opts.queue]));
    urls.push(`http://127.0.0.1:${port}`);
  }
  for (const u of urls) await ready(u);
  return { urls, procs };
}

/** A worker draining `queue`, paused-capable (its admin endpoint is on). */
export async function startWorker(opts: {
  redisUrl: string;
  databaseUrl: string;
  queue: string;
  workerId: string;
}): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = startChild(process.execPath, [
    serviceScript('worker'),
    ...['--port', String(port), '--host', '127.0.0.1', '--redis-url', opts.redisUrl],
    ...['--database-url', opts.databaseUrl, '--queue', opts.queue, '--worker-id', opts.workerId, '--enable-admin'],
  ]);
  const url = `http://127.0.0.1:${port}`;
  await ready(url);
  return { url, proc };
}
