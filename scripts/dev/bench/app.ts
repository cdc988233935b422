#!/usr/bin/env node
/**
 * `npm run bench:app`: the compiled vote service (child processes) against a private
 * redis-server, loaded over loopback in the original load plan's two scenarios (normal: 50
 * connections, flash sale: 300), an open loop at a fixed rate, metrics on vs off, and one worker
 * draining 100,000 queued votes into PostgreSQL. Prints one markdown section.
 */
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { createDatabase, startPrivateRedis } from '../../../test/support/index.js';
import { versusBare } from './app-bare.js';
import { drain } from './app-drain.js';
import { instrumentationOverhead } from './app-overhead.js';
import { startBareVotes, startVotes } from './app-services.js';
import { benchMain } from './lib/bench-main.js';
import { stopChild } from './lib/processes.js';
import { f0, f1, f2 } from './lib/stats.js';
import { closedLoop } from './load/closed-loop.js';
import { openLoop } from './load/open-loop.js';

const HELP = `Usage: npm run bench:app [-- --out FILE] [--instances N] [--seconds S] [--drain N] [--express-path]

Starts N vote instances (default 2, compiled: run \`npm run compile\` first) against a private
redis-server, measures closed loop at 50 and 300 connections (and N bare node:http + LPUSH
servers under the same loads, for the vote/bare ratio), open loop at 2,000 votes/s,
metrics on vs off, and one worker draining --drain votes (default 100000) into PostgreSQL
(a temporary database on postgres://postgres@127.0.0.1:5432). Prints one markdown section.
`;

// The original load plan's naive FastAPI + MariaDB backend, quoted (not measured here).
const PEER = { rps: 361, p95Ms: 23_800 };
const TARGETS = { rps300: 5_000, openP99Ms: 25, overheadPct: 10, drain: 10_000, bareRatio: 0.5 };
const met = (b: boolean) => (b ? 'met' : '**missed**');
const log = (s: string) => process.stderr.write(`bench:app: ${s}\n`);

benchMain({
  name: 'bench:app',
  help: HELP,
  flags: {
    instances: { kind: 'int', default: 2, min: 1, help: 'vote instances' },
    seconds: { kind: 'int', default: 8, min: 1, help: 'seconds per load run' },
    drain: { kind: 'int', default: 100_000, min: 1, help: 'votes the worker drains' },
    expressPath: {
      kind: 'bool',
      default: false,
      help: 'vote instances with --behind-proxy: every request through express (no fast POST /vote), to compare',
    },
  },
  async run(v) {
    const redisServer = await startPrivateRedis();
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 0 });
    const db = await createDatabase({ prefix: 'bench_app' });
    const queue = 'bench:votes';
    try {
      log(`${v.instances} vote instance(s), metrics on${v.expressPath ? ', --behind-proxy (express path)' : ''}`);
      const votes = await startVotes({
        metrics: Array<boolean>(v.instances).fill(true),
        redisUrl: redisServer.url,
        queues: Array<string>(v.instances).fill(queue),
        extraArgs: v.expressPath ? ['--behind-proxy'] : [],
      });
      const bareQueue = `${queue}:bare`;
      const bare = await startBareVotes({ count: v.instances, redisUrl: redisServer.url, queue: bareQueue });
      await closedLoop({ urls: votes.urls, connections: 50, seconds: 2 }); // warm-up (JIT, connections)
      await closedLoop({ urls: bare.urls, connections: 50, seconds: 2 });
      // Vote and bare in alternating short rounds under each load (app-bare.ts), so both meet the same background.
      const bareRounds = { rounds: 4, roundSeconds: Math.max(2, Math.round(v.seconds / 2)) };
      const vs50 = await versusBare({
        voteUrls: votes.urls,
        bareUrls: bare.urls,
        voteProcs: votes.procs,
        bareProcs: bare.procs,
        connections: 50,
        ...bareRounds,
      });
      const { vote: c50, bare: b50 } = vs50;
      log(
        `closed 50: vote ${f0(c50.rps)}/s, bare ${f0(b50.rps)}/s (${f2(vs50.ratio)}×; rounds ${vs50.rounds.map(f2).join(', ')}); CPU/vote ${f0(vs50.voteCpuUs)} vs ${f0(vs50.bareCpuUs)} µs`,
      );
      const vs300 = await versusBare({
        voteUrls: votes.urls,
        bareUrls: bare.urls,
        voteProcs: votes.procs,
        bareProcs: bare.procs,
        connections: 300,
        ...bareRounds,
      });
      const { vote: c300, bare: b300 } = vs300;
      log(
        `closed 300: vote ${f0(c300.rps)}/s, bare ${f0(b300.rps)}/s (${f2(vs300.ratio)}×; rounds ${vs300.rounds.map(f2).join(', ')}); CPU/vote ${f0(vs300.voteCpuUs)} vs ${f0(vs300.bareCpuUs)} µs`,
      );
      await Promise.all(bare.procs.map(stopChild));
      await redis.del(bareQueue);
      const open = await openLoop(votes.urls, 2_000, v.seconds + 2);
      log(`open loop 2000/s: p50/p95/p99 ${f1(open.p50)}/${f1(open.p95)}/${f1(open.p99)} ms, ${f0(open.rps)}/s`);
      const burst = await closedLoop({ urls: votes.urls, connections: 100, seconds: v.seconds, overallRate: 2_000 });
      log(`autocannon overallRate 2000/s: p50/p95/p99 ${f1(burst.p50)}/${f1(burst.p95)}/${f1(burst.p99)} ms`);
      await redis.del(queue);
      await Promise.all(votes.procs.map(stopChild));
      const rounds = 4;
      const roundSeconds = Math.max(4, v.seconds - 3);
      const abRate = 4_000;
      const o = await instrumentationOverhead({
        redis,
        redisUrl: redisServer.url,
        queue,
        rounds,
        roundSeconds,
        rate: abRate,
        log,
      });
      log(`draining ${v.drain} votes with one worker`);
      const d = await drain({ redisUrl: redisServer.url, databaseUrl: db.url, total: v.drain });
      log(`drain: ${f0(d.rps)}/s, ${d.written} written`);

      const rows = [
        '| measure | ours | peer (reference) | ratio | target | |',
        '|---|---|---|---|---|---|',
        `| normal, closed loop 50 conns: accepted votes/s | ${f0(c50.rps)} | — | — | — | errors ${c50.errors}; p50/p95/p99 ${f1(c50.p50)}/${f1(c50.p95)}/${f1(c50.p99)} ms |`,
        `| flash sale, closed loop 300 conns: accepted votes/s | ${f0(c300.rps)} | ${PEER.rps} req/s (quoted) | ${f1(c300.rps / PEER.rps)}× | ≥ ${f0(TARGETS.rps300)}, 0 errors | ${met(c300.rps >= TARGETS.rps300 && c300.errors === 0)}; errors ${c300.errors} |`,
        `| normal, 50 conns: vote service / bare node:http + LPUSH server, accepted votes/s | ${f0(c50.rps)} | ${f0(b50.rps)} (bare, same run) | ${f2(vs50.ratio)}× | — | errors vote ${c50.errors}, bare ${b50.errors}; per-round ratios ${vs50.rounds.map(f2).join(', ')}; CPU per vote ${f0(vs50.voteCpuUs)} µs vs bare ${f0(vs50.bareCpuUs)} µs (bare/vote ${f2(vs50.bareCpuUs / vs50.voteCpuUs)}); bare p50/p95/p99 ${f1(b50.p50)}/${f1(b50.p95)}/${f1(b50.p99)} ms |`,
        `| flash sale, 300 conns: vote service / bare node:http + LPUSH server, accepted votes/s | ${f0(c300.rps)} | ${f0(b300.rps)} (bare, same run) | ${f2(vs300.ratio)}× | ≥ ${TARGETS.bareRatio}×, 0 errors | ${met(vs300.ratio >= TARGETS.bareRatio && c300.errors === 0)}; errors vote ${c300.errors}, bare ${b300.errors}; per-round ratios ${vs300.rounds.map(f2).join(', ')}; CPU per vote ${f0(vs300.voteCpuUs)} µs vs bare ${f0(vs300.bareCpuUs)} µs (bare/vote ${f2(vs300.bareCpuUs / vs300.voteCpuUs)}); bare p50/p95/p99 ${f1(b300.p50)}/${f1(b300.p95)}/${f1(b300.p99)} ms |`,
        `| flash sale, closed loop 300 conns: p95 latency | ${f1(c300.p95)} ms | ${f1(PEER.p95Ms / 1000)} s (quoted) | ${f0(PEER.p95Ms / c300.p95)}× lower | — | p50/p99 ${f1(c300.p50)}/${f1(c300.p99)} ms |`,
        `| open loop at 2,000 votes/s: p99 latency | ${f1(open.p99)} ms | — | — | < ${TARGETS.openP99Ms} ms | ${met(open.p99 < TARGETS.openP99Ms && open.errors === 0)}; achieved ${f0(open.rps)}/s, errors ${open.errors}, p50/p95 ${f1(open.p50)}/${f1(open.p95)} ms, latency from each request's scheduled send time |`,
        `| autocannon overallRate 2,000/s over 100 conns: p99 latency | ${f1(burst.p99)} ms | — | — | — | not an open loop (bursts, see note); achieved ${f0(burst.rps)}/s, errors ${burst.errors}, p50/p95 ${f1(burst.p50)}/${f1(burst.p95)} ms |`,
        `| instrumentation overhead: vote CPU µs per accepted vote, metrics on vs off, side by side at ${f0(abRate / 2)}/s each | ${f0(o.onCpuUs)} µs | ${f0(o.offCpuUs)} µs (--no-metrics, same moment) | ${(o.onCpuUs / o.offCpuUs).toFixed(2)}× CPU per vote | throughput loss ≤ ${TARGETS.overheadPct} % | ${met(o.lossPct <= TARGETS.overheadPct)}; CPU-bound throughput loss ${f1(o.lossPct)} %${o.lossPct < 0 ? ' (negative: below the noise)' : ''}; per-round on/off CPU ${o.ratios.map((x) => x.toFixed(2)).join(', ')} |`,
        `| worker drain, ${f0(v.drain)} queued votes → PostgreSQL, 1 worker: votes/s | ${f0(d.rps)} | — | — | ≥ ${f0(TARGETS.drain)} | ${met(d.rps >= TARGETS.drain && d.written === v.drain)}; ${f1(d.seconds)} s, ${f0(d.written)} rows in vote_events |`,
      ];
      const section = [
        '### Reference app: vote service and worker',
        '',
        ...rows,
        '',
        `Setup: ${v.instances} compiled vote instance(s) (Node ${process.version}, info-level JSON logs to /dev/null) and a private redis-server on one ${cpus().length}-core machine, with autocannon (${'closed loop: each connection sends the next vote when the previous answer arrives'}) in the same process tree over loopback, spread over the instances; ${v.seconds} s per run after a warm-up. The bare server (scripts/dev/bench/bare-vote-server.ts, ${v.instances} instance(s) like the vote service, on the same Redis) is node:http + ioredis LPUSH with the same checks, queue item, signed voter cookie and 202 answer but no framework, no access log and no metrics: the vote/bare ratio is what express and the observability cost at that load, measured in 4 rounds of ${Math.max(2, Math.round(v.seconds / 2))} s per side alternating which goes first, summed; the closed-loop rows above are those same runs of the vote service. CPU per vote is each side's instances' user+system CPU over those runs divided by its accepted votes: once the CPU is the limit, throughput is cores / CPU per vote, so bare/vote CPU per vote is the ratio a quiet machine would show, less sensitive than votes/s to other work coming and going on this one. The open loop sends 2,000 votes/s on a fixed 1 ms schedule regardless of answers (keep-alive pool, round-robin over the instances, a new connection when all are busy) and measures each latency from the request's scheduled time, so stalls count (no coordinated omission); autocannon's overallRate, shown beside it, lets each of 100 connections send back to back until it has made its 20 requests for the second and then pause, i.e. a 100-connection closed-loop burst at the top of every second, whose latency is the saturated closed loop's. Instrumentation overhead: one instrumented and one --no-metrics instance under the same open loop at the same moment (${f0(abRate)}/s round-robin), ${rounds} rounds of ${roundSeconds} s alternating start order, votes counted per instance by queue length, loss = 1 − CPU per vote off / on; --no-metrics drops the registry (HTTP, vote and default process metrics and /metrics) and keeps the access log. "Accepted" = 202 after Redis acknowledged the LPUSH. The peer figures are quoted from the original load plan (its naive FastAPI + MariaDB backend, 361 req/s with p95 23.8 s in the flash-sale scenario), not measured on this machine. Drain: one worker, batch size 200, one INSERT … ON CONFLICT statement per batch into votes + vote_events, timed from unpausing a worker that holds 0 items to an empty queue and processing list. Other work on the machine makes absolute figures noisy.${v.expressPath ? ' This run: vote instances with --behind-proxy, every request through express (no fast POST /vote path).' : ''}`,
        '',
      ].join('\n');
      return section;
    } finally {
      redis.disconnect();
      await redisServer.stop();
      await db.drop().catch(() => {});
    }
  },
});
