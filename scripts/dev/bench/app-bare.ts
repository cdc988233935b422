/**
 * The vote service against the bare server (bare-vote-server.ts) under one closed-loop load:
 * short rounds, alternating which side goes first, summed per side. One long run each, back to
 * back, was at the mercy of this shared machine: a neighbour's burst during one side's 8 s gave
 * ratios of 0.15 at 50 connections and 0.77 at 300 in the same run.
 */
import type { ChildProcess } from 'node:child_process';
import { cpuSeconds } from './lib/processes.js';
import { percentile } from './lib/stats.js';
import { closedLoop } from './load/closed-loop.js';
import type { LoadResult } from './load/result.js';

export interface VersusBare {
  vote: LoadResult;
  bare: LoadResult;
  /** vote/bare accepted votes/s of the totals. */
  ratio: number;
  /** vote/bare of each round, to show the spread. */
  rounds: number[];
  /**
   * CPU µs per accepted vote of each side (all its instances): what throughput becomes once the
   * CPU is the limit, and steadier than votes/s on a machine whose other load comes and goes.
   */
  voteCpuUs: number;
  bareCpuUs: number;
}

/** Sums runs of equal length: accepted and errors added, latency percentiles over every answer. */
function merge(runs: readonly LoadResult[], seconds: number): LoadResult {
  const all = new Float64Array(runs.reduce((a, r) => a + (r.latencies?.length ?? 0), 0));
  let at = 0;
  for (const r of runs) {
    all.set(r.latencies ?? [], at);
    at += r.latencies?.length ?? 0;
  }
  all.sort();
  const accepted = runs.reduce((a, r) => a + r.accepted, 0);
  return {
    rps: accepted / seconds,
    accepted,
    errors: runs.reduce((a, r) => a + r.errors, 0),
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
  };
}

const cpuOf = (procs: readonly ChildProcess[]): number => procs.reduce((a, p) => a + cpuSeconds(p.pid!), 0);

export async function versusBare(opts: {
  voteUrls: readonly string[];
  bareUrls: readonly string[];
  voteProcs: readonly ChildProcess[];
  bareProcs: readonly ChildProcess[];
  connections: number;
  rounds: number;
  roundSeconds: number;
}): Promise<VersusBare> {
  const runs: { vote: LoadResult[]; bare: LoadResult[] } = { vote: [], bare: [] };
  const rounds: number[] = [];
  const cpu = { vote: 0, bare: 0 };
  for (let i = 0; i < opts.rounds; i++) {
    const order = i % 2 ? (['bare', 'vote'] as const) : (['vote', 'bare'] as const);
    const got: Partial<Record<'vote' | 'bare', LoadResult>> = {};
    for (const side of order) {
      const urls = side === 'vote' ? opts.voteUrls : opts.bareUrls;
      const procs = side === 'vote' ? opts.voteProcs : opts.bareProcs;
      const cpu0 = cpuOf(procs);
      got[side] = await closedLoop({ urls, connections: opts.connections, seconds: opts.roundSeconds });
      cpu[side] += cpuOf(procs) - cpu0;
      runs[side].push(got[side]);
    }
    rounds.push(got.vote!.rps / got.bare!.rps);
  }
  const seconds = opts.rounds * opts.roundSeconds;
  const vote = merge(runs.vote, seconds);
  const bare = merge(runs.bare, seconds);
  return {
    vote,
    bare,
    ratio: vote.rps / bare.rps,
    rounds,
    voteCpuUs: (cpu.vote / vote.accepted) * 1e6,
    bareCpuUs: (cpu.bare / bare.accepted) * 1e6,
  };
}
