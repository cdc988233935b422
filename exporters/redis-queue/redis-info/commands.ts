/**
 * The health commands of round 1, in the same pipeline as the TYPE probes: INFO ALL (ALL adds
 * commandstats, latencystats and errorstats to the default sections), the four settings
 * redis_exporter reads from CONFIG GET, the slow log's length and newest entry, and LATENCY LATEST.
 * One setting per CONFIG GET: Redis before 7.0 takes a single pattern.
 *
 * INFO must answer; the others may be refused (CONFIG renamed on a managed Redis, an ACL user
 * without +slowlog): their families are then left out, as redis_exporter leaves them out, and the
 * refusal is told to the caller (permissions.ts logs it).
 */
import { type ChainableCommander, ReplyError } from 'ioredis';
import type { OptionalCommand } from '../permissions.js';
import type { Reply } from '../queue-types.js';

const CONFIG_SETTINGS = ['maxmemory', 'maxclients', 'io-threads', 'databases'] as const;
export type ConfigSetting = (typeof CONFIG_SETTINGS)[number];

/** How many replies the health commands take at the head of the round-1 pipeline (INFO is the first). */
export const HEALTH_COMMANDS = 1 + CONFIG_SETTINGS.length + 3;

export function addHealthCommands(p: ChainableCommander): void {
  p.info('all');
  for (const s of CONFIG_SETTINGS) p.config('GET', s);
  p.slowlog('LEN');
  p.slowlog('GET', 1);
  p.call('LATENCY', 'LATEST');
}

export interface HealthReplies {
  info: string;
  /** Settings CONFIG GET answered, as numbers. */
  config: Map<ConfigSetting, number>;
  slowlogLength: number | undefined;
  /** The newest slow log entry (SLOWLOG GET 1): [id, unix time, µs, …], or [] when the log is empty. */
  slowlogNewest: readonly unknown[] | undefined;
  /** [event, unix time, ms, max ms] per event (LATENCY LATEST). */
  latencyLatest: readonly unknown[] | undefined;
  /** Redis's error for each optional health command it refused; undefined for one that ran. */
  refused: ReadonlyArray<[command: OptionalCommand, error: string | undefined]>;
}

/** The health replies of the round-1 pipeline. @throws the INFO error (or a missing reply) */
export function readHealthReplies(replies: readonly Reply[]): HealthReplies {
  const info = replies[0];
  if (!info || info[0]) throw info?.[0] ?? new Error('no reply to INFO');
  const ok = (at: number): unknown => {
    const r = replies[at];
    return r && !r[0] ? r[1] : undefined;
  };
  const config = new Map<ConfigSetting, number>();
  CONFIG_SETTINGS.forEach((s, i) => {
    const pair = ok(1 + i);
    const v = Array.isArray(pair) && pair.length >= 2 ? Number(pair[1]) : Number.NaN;
    if (Number.isFinite(v)) config.set(s, v);
  });
  const at = 1 + CONFIG_SETTINGS.length;
  const len = ok(at);
  const newest = ok(at + 1);
  const latest = ok(at + 2);
  // Only Redis's own error replies: an error ioredis makes up (connection gone) says nothing of permissions.
  const refusal = (from: number, to: number): string | undefined => {
    for (let i = from; i < to; i++) {
      const e = replies[i]?.[0];
      if (e && e instanceof ReplyError) return e.message;
    }
    return undefined;
  };
  return {
    info: String(info[1]),
    config,
    slowlogLength: typeof len === 'number' ? len : undefined,
    slowlogNewest: Array.isArray(newest) ? ((newest[0] as unknown[] | undefined) ?? []) : undefined,
    latencyLatest: Array.isArray(latest) ? latest : undefined,
    refused: [
      ['CONFIG GET', refusal(1, at)],
      ['SLOWLOG', refusal(at, at + 2)],
      ['LATENCY LATEST', refusal(at + 2, at + 3)],
    ],
  };
}
