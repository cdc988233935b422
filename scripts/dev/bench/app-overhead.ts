/**
 * Instrumentation overhead, side by side: one instrumented and one --no-metrics vote instance
 * receive the same open-loop load at the same moment (round-robin), each pushing onto its own
 * queue key so its accepted votes are counted exactly (LLEN); the cost is the difference in CPU
 * per accepted vote. Two earlier designs were too noisy to judge a 10 % target on this shared
 * 2-core machine: sequential on/off runs met different background load (identical builds differed
 * by 10-20 %), and a side-by-side closed loop is unstable because CPU per vote falls as throughput
 * rises (more requests per event-loop turn and per write), so whichever instance gets ahead stays
 * ahead (per-round ratios 90-147 %). Rounds alternate which side starts first and gets the first
 * connection.
 */
import type { Redis } from 'ioredis';
import { startVotes } from './app-services.js';
import { cpuSeconds, stopChild } from './lib/processes.js';
import { f0, f1 } from './lib/stats.js';
import { openLoop } from './load/open-loop.js';

export interface OverheadResult {
  /** CPU µs per accepted vote, metrics on and off, over all rounds. */
  onCpuUs: number;
  offCpuUs: number;
  /** A CPU-bound service's throughput is cores / CPU per vote: this is the throughput it loses. */
  lossPct: number;
  /** on/off CPU ratio of each round, to show the spread. */
  ratios: number[];
}

export async function instrumentationOverhead(opts: {
  redis: Redis;
  redisUrl: string;
  queue: string;
  rounds: number;
  roundSeconds: number;
  rate: number;
  log: (line: string) => void;
}): Promise<OverheadResult> {
  const tot = { on: { votes: 0, cpu: 0 }, off: { votes: 0, cpu: 0 } };
  const ratios: number[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    const sides = round % 2 ? [false, true] : [true, false];
    const keys = sides.map((on) => `${opts.queue}:${on ? 'on' : 'off'}`);
    const v = await startVotes({ metrics: sides, redisUrl: opts.redisUrl, queues: keys });
    await openLoop(v.urls, opts.rate, 1); // JIT warm-up
    const cpu0 = v.procs.map((p) => cpuSeconds(p.pid!));
    const len0 = await Promise.all(keys.map((k) => opts.redis.llen(k)));
    const r = await openLoop(v.urls, opts.rate, opts.roundSeconds);
    const len1 = await Promise.all(keys.map((k) => opts.redis.llen(k)));
    const us = { on: 0, off: 0 };
    sides.forEach((on, i) => {
      const side = on ? 'on' : 'off';
      const votes = len1[i]! - len0[i]!;
      const cpu = cpuSeconds(v.procs[i]!.pid!) - cpu0[i]!;
      tot[side].votes += votes;
      tot[side].cpu += cpu;
      us[side] = (cpu / votes) * 1e6;
    });
    ratios.push(us.on / us.off);
    opts.log(
      `overhead round ${round + 1}: CPU per vote metrics on ${f0(us.on)} µs, off ${f0(us.off)} µs (${f0(r.rps)}/s, p99 ${f1(r.p99)} ms, errors ${r.errors})`,
    );
    await Promise.all(v.procs.map(stopChild));
    await opts.redis.del(...keys);
  }
  const onCpuUs = (tot.on.cpu / tot.on.votes) * 1e6;
  const offCpuUs = (tot.off.cpu / tot.off.votes) * 1e6;
  return { onCpuUs, offCpuUs, lossPct: (1 - offCpuUs / onCpuUs) * 100, ratios };
}
