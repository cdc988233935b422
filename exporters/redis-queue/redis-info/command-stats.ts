/**
 * Per-command statistics of INFO ALL, as redis_exporter 1.45 reads them: commandstats (calls,
 * time, rejected and failed calls per command), latencystats (p50/p99/p99.9 per command, a
 * summary whose sum and count come from commandstats) and errorstats (error replies per prefix).
 * A command missing after CONFIG RESETSTAT has no series: the families are rebuilt every time.
 */
import type { Registry } from 'prom-client';
import { metrics } from 'voting-mixin/config';
import { Family } from './family.js';
import { keyValues, type ParsedInfo } from './parse.js';

export class CommandStats {
  private readonly calls: Family<'cmd'>;
  private readonly seconds: Family<'cmd'>;
  private readonly rejected: Family<'cmd'>;
  private readonly failed: Family<'cmd'>;
  private readonly latency: Family<'cmd'>;
  private readonly errors: Family<'err'>;

  constructor(registry: Registry, collect: () => Promise<void>) {
    this.calls = new Family(metrics.redisCommandsTotal, registry, collect);
    this.seconds = new Family(metrics.redisCommandsDurationSecondsTotal, registry, collect);
    this.rejected = new Family(metrics.redisCommandsRejectedCallsTotal, registry, collect);
    this.failed = new Family(metrics.redisCommandsFailedCallsTotal, registry, collect);
    this.latency = new Family(metrics.redisLatencyPercentilesUsec, registry, collect);
    this.errors = new Family(metrics.redisErrorsTotal, registry, collect);
  }

  get families(): readonly Family[] {
    return [this.calls, this.seconds, this.rejected, this.failed, this.latency, this.errors];
  }

  apply(info: ParsedInfo): void {
    // calls and usec per command, for the latency summaries' count and sum
    const totals = new Map<string, readonly [calls: number, usec: number]>();
    for (const [cmd, text] of info.commandstats) {
      const kv = keyValues(text);
      const calls = Number(kv.get('calls'));
      const usec = Number(kv.get('usec'));
      if (!Number.isFinite(calls) || !Number.isFinite(usec)) continue;
      const labels = { cmd };
      totals.set(cmd, [calls, usec]);
      this.calls.add(calls, labels);
      this.seconds.add(usec / 1e6, labels);
      // Redis 6.2 and later; before, redis_exporter writes neither
      const rejected = Number(kv.get('rejected_calls'));
      const failed = Number(kv.get('failed_calls'));
      if (kv.has('rejected_calls') && kv.has('failed_calls') && Number.isFinite(rejected + failed)) {
        this.rejected.add(rejected, labels);
        this.failed.add(failed, labels);
      }
    }
    for (const [cmd, text] of info.latencystats) {
      const total = totals.get(cmd);
      if (!total) continue;
      const quantiles = percentiles(text);
      if (quantiles) this.latency.addSummary(quantiles, total[1], total[0], { cmd });
    }
    for (const [err, text] of info.errorstats) {
      const count = Number(keyValues(text).get('count'));
      if (Number.isFinite(count)) this.errors.add(count, { err });
    }
  }
}

/** `p50=1.003,p99=4.015,p99.9=8.031` as [['50', 1.003], …], ascending; undefined if malformed. */
export function percentiles(text: string): Array<[string, number]> | undefined {
  const out: Array<[number, number]> = [];
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    const q = Number(part.slice(1, i));
    const v = Number(part.slice(i + 1));
    if (i < 2 || part[0] !== 'p' || !Number.isFinite(q) || !Number.isFinite(v)) return undefined;
    out.push([q, v]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([q, v]) => [String(q), v]);
}
