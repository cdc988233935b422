#!/usr/bin/env node
/**
 * Where a vote instance's CPU goes near its limit: one compiled vote instance under `node
 * --cpu-prof` (metrics and info-level access logs on, as in bench:app) against a private
 * redis-server, loaded by the closed loop at --connections for --seconds, then its profile summed
 * by self time per function and per category (express routing, body parsing, logging, prom-client,
 * cookies/crypto, ioredis, node http, GC). `node build/scripts/dev/bench/profile-vote.js
 * [--connections 300] [--seconds 10] [--keep DIR]`; prints markdown.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPrivateRedis, waitForHttp } from '../../../test/support/index.js';
import { serviceScript } from './app-services.js';
import { benchMain } from './lib/bench-main.js';
import { startChild, stopChild } from './lib/processes.js';
import { f0, f1 } from './lib/stats.js';
import { closedLoop } from './load/closed-loop.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** First matching rule names the category of a frame (by its script URL, then its name). */
const CATEGORIES: [string, (url: string, fn: string) => boolean][] = [
  ['GC', (_u, f) => f === '(garbage collector)'],
  ['idle', (_u, f) => f === '(idle)'],
  ['express router', (u) => /node_modules\/(router|express|path-to-regexp|finalhandler)\//.test(u)],
  [
    'body parsing',
    (u) =>
      /node_modules\/(body-parser|raw-body|type-is|content-type|media-typer|iconv-lite|mime-types|mime-db)\//.test(u),
  ],
  [
    'logging (pino)',
    (u) =>
      /node_modules\/(pino|sonic-boom|fast-redact|quick-format-unescaped|pino-std-serializers|atomic-sleep|on-exit-leak-free|thread-stream)\//.test(
        u,
      ),
  ],
  ['prom-client', (u) => /node_modules\/(prom-client|tdigest|bintrees)\//.test(u)],
  [
    'ioredis',
    (u) =>
      /node_modules\/(ioredis|@ioredis|redis-parser|redis-errors|denque|cluster-key-slot|standard-as-callback|lodash)/.test(
        u,
      ),
  ],
  [
    'express response/request',
    (u) =>
      /node_modules\/(send|cookie|cookie-signature|etag|fresh|vary|on-finished|statuses|http-errors|depd|accepts|negotiator|encodeurl|escape-html|parseurl|proxy-addr|forwarded|range-parser|qs|content-disposition|merge-descriptors)\//.test(
        u,
      ),
  ],
  ['reference app + instrument', (u) => /reference-app\/build|\/build\/(instrument|runtime|config)\//.test(u)],
  [
    'node http/net/streams',
    (u) =>
      /^node:(_http|http|net|stream|internal\/(http|streams|stream_base|net|timers|url|async_hooks|process\/task_queues))/.test(
        u,
      ) || /^node:internal\/(http|streams|stream_base_commons|net|timers|url)/.test(u),
  ],
  [
    'crypto (uuid, HMAC)',
    (u, f) => /^node:(crypto|internal\/crypto)/.test(u) || /randomUUID|createHmac|digest/.test(f),
  ],
  ['node (other)', (u) => u.startsWith('node:')],
  ['native / V8 (no script)', (u) => u === ''],
];

const category = (url: string, fn: string): string => CATEGORIES.find(([, t]) => t(url, fn))?.[0] ?? 'other JS';

/** Self time per function (name, file:line) and per category, in ms, from a .cpuprofile. */
export function summarize(p: Profile): { total: number; byFn: [string, number][]; byCat: [string, number][] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
  const fns = new Map<string, number>();
  const cats = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const fn = functionName || '(anonymous)';
    const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(reference-app|build)\//, '$1/');
    const key = `${fn} — ${short || '(native)'}${url ? `:${lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
    const c = category(url, fn);
    cats.set(c, (cats.get(c) ?? 0) + ms);
    total += ms;
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { total, byFn: sorted(fns), byCat: sorted(cats) };
}

benchMain({
  name: 'profile-vote',
  help: `Usage: node build/scripts/dev/bench/profile-vote.js [--connections N] [--seconds S] [--keep DIR]

One vote instance under node --cpu-prof, loaded at N connections (default 300) for S seconds
(default 10); prints its CPU self time by category and the top functions.
`,
  flags: {
    connections: { kind: 'int', default: 300, min: 1, help: 'closed-loop connections' },
    seconds: { kind: 'int', default: 10, min: 1, help: 'seconds of load' },
    top: { kind: 'int', default: 25, min: 1, help: 'functions listed' },
    keep: { kind: 'string', arg: 'DIR', help: 'write the .cpuprofile there (default: a temporary folder, removed)' },
  },
  async run(v) {
    const dir = v.keep ?? (await mkdtemp(join(tmpdir(), 'vote-prof-')));
    const redisServer = await startPrivateRedis();
    try {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const proc = startChild(process.execPath, [
        ...['--cpu-prof', '--cpu-prof-dir', dir],
        ...[serviceScript('vote'), '--port', String(port), '--host', '127.0.0.1'],
        ...['--redis-url', redisServer.url, '--queue', 'profile:votes'],
      ]);
      await waitForHttp(`${url}/ready`, 15_000);
      await closedLoop({ urls: [url], connections: v.connections, seconds: 2 }); // JIT warm-up
      const r = await closedLoop({ urls: [url], connections: v.connections, seconds: v.seconds });
      await stopChild(proc);
      const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no .cpuprofile in ${dir}: did the vote instance exit cleanly?`);
      const s = summarize(JSON.parse(await readFile(join(dir, file), 'utf8')) as Profile);
      const busy = s.total - (s.byCat.find(([c]) => c === 'idle')?.[1] ?? 0);
      const pct = (ms: number) => `${f1((ms / busy) * 100)} %`;
      return [
        `### vote instance CPU profile, closed loop ${v.connections} conns, ${v.seconds + 2} s (incl. 2 s warm-up)`,
        '',
        `Load: ${f0(r.rps)} accepted votes/s, errors ${r.errors}, p50/p99 ${f1(r.p50)}/${f1(r.p99)} ms. Busy CPU ${f0(busy)} ms of ${f0(s.total)} ms profiled; shares below are of busy time.`,
        '',
        '| category (self time) | ms | share |',
        '|---|---|---|',
        ...s.byCat.filter(([c]) => c !== 'idle').map(([c, ms]) => `| ${c} | ${f0(ms)} | ${pct(ms)} |`),
        '',
        '| function (self time) | ms | share |',
        '|---|---|---|',
        ...s.byFn
          .filter(([k]) => !k.startsWith('(idle)'))
          .slice(0, v.top)
          .map(([k, ms]) => `| ${k.replace(/\|/g, '\\|')} | ${f0(ms)} | ${pct(ms)} |`),
        '',
      ].join('\n');
    } finally {
      await redisServer.stop();
      if (!v.keep) await rm(dir, { recursive: true, force: true });
    }
  },
});
