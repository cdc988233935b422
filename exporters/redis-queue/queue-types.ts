/**
 * One handler per Redis data type a queue can live in: which commands to pipeline for a key, and
 * how to read their replies into a length, an oldest-item age and (streams) per-group figures.
 * Handlers write into a reusable `KeyReading` instead of returning objects: with 10,000 keys per
 * scrape, allocation matters.
 */
import type { ChainableCommander } from 'ioredis';

export type DataType = 'list' | 'stream' | 'zset' | 'set' | 'hash';
export const DATA_TYPES: ReadonlySet<string> = new Set<DataType>(['list', 'stream', 'zset', 'set', 'hash']);

/** A pipeline reply: ioredis gives [error, value] per command. */
export type Reply = [error: Error | null, value: unknown];

export interface GroupReading {
  name: string;
  pending: number;
  /** Undefined when Redis cannot tell (lag is null after XDEL/XTRIM past the group). */
  lag: number | undefined;
}

export interface KeyReading {
  length: number;
  /** Oldest waiting item's age in seconds; undefined when it cannot be known (no timestamp in the item). */
  ageSeconds: number | undefined;
  /** Whether the key exists (a plain key's `redis_queue_keys`). */
  exists: boolean;
  groups: GroupReading[] | undefined;
  /** The reply error that made the reading unusable (e.g. WRONGTYPE after the key changed type). */
  error: Error | undefined;
}

export function emptyReading(): KeyReading {
  return { length: 0, ageSeconds: undefined, exists: false, groups: undefined, error: undefined };
}

export interface TypeHandler {
  /** Commands `add` queues per key. */
  readonly commands: number;
  add(p: ChainableCommander, key: string): void;
  read(replies: Reply[], at: number, now: number, out: KeyReading): void;
}

/**
 * Age of a time value that is either ms or s since the epoch; undefined when it does not look like
 * a timestamp (zset scores are often priorities, not times). Future times (delayed items) count as 0.
 */
export function ageFromTime(t: number, now: number): number | undefined {
  if (!Number.isFinite(t)) return undefined;
  let ms: number;
  if (t >= 1e12 && t < 1e14)
    ms = t; // ms since epoch: 2001..5138
  else if (t >= 1e9 && t < 1e11)
    ms = t * 1000; // s since epoch
  else return undefined;
  return now > ms ? (now - ms) / 1000 : 0;
}

/** Age from a queue item's JSON `ts` field; undefined for non-JSON items or items without one. */
export function itemAge(item: unknown, now: number): number | undefined {
  // Cheap reject before any parsing: queue items we understand are JSON objects.
  if (typeof item !== 'string' || item.charCodeAt(0) !== 123) return undefined;
  // Fast path without JSON.parse (10,000 items per scrape): `"ts":` followed by digits. Inside a
  // JSON string every quote is escaped, so an unescaped `"ts":` can only be a key. Anything
  // unusual (spaces, a second "ts", a fraction, an exponent) goes through JSON.parse.
  const at = item.indexOf('"ts":');
  if (at !== -1 && item.indexOf('"ts":', at + 5) === -1) {
    let i = at + 5;
    let ts = 0;
    let digits = 0;
    for (let c = item.charCodeAt(i); c >= 48 && c <= 57; c = item.charCodeAt(++i)) {
      ts = ts * 10 + (c - 48);
      digits++;
    }
    const end = item.charCodeAt(i);
    if (digits > 0 && digits < 16 && (end === 44 || end === 125)) return ageFromTime(ts, now); // `,` or `}`
  }
  try {
    const ts = (JSON.parse(item) as { ts?: unknown }).ts;
    return typeof ts === 'number' ? ageFromTime(ts, now) : undefined;
  } catch {
    return undefined;
  }
}

function num(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

function begin(out: KeyReading): void {
  out.length = 0;
  out.ageSeconds = undefined;
  out.exists = false;
  out.groups = undefined;
  out.error = undefined;
}

/** A missing key reads as empty, so only errors other than "no such key" spoil a reading. */
function failed(r: Reply | undefined, out: KeyReading): boolean {
  if (!r) {
    out.error = new Error('missing reply');
    return true;
  }
  if (r[0]) {
    out.error = r[0];
    return true;
  }
  return false;
}

/** LLEN + LINDEX -1: producers LPUSH, so the oldest item is at the tail. */
const list: TypeHandler = {
  commands: 2,
  add(p, key) {
    p.llen(key).lindex(key, -1);
  },
  read(replies, at, now, out) {
    begin(out);
    const len = replies[at];
    const tail = replies[at + 1];
    if (failed(len, out) || failed(tail, out)) return;
    out.length = num(len![1]);
    out.exists = out.length > 0;
    out.ageSeconds = out.length > 0 ? itemAge(tail![1], now) : 0;
  },
};

function readGroups(v: unknown): GroupReading[] {
  const groups: GroupReading[] = [];
  if (!Array.isArray(v)) return groups;
  for (const g of v) {
    let name = '';
    let pending = 0;
    let lag: number | undefined;
    // RESP2 and ioredis' legacy RESP3 mapping give flat [field, value, ...]; resp3 mapping gives objects.
    const pairs: Array<[string, unknown]> = Array.isArray(g)
      ? Array.from({ length: g.length >> 1 }, (_, i) => [String(g[2 * i]), g[2 * i + 1]] as [string, unknown])
      : Object.entries((g ?? {}) as Record<string, unknown>);
    for (const [k, val] of pairs) {
      if (k === 'name') name = String(val);
      else if (k === 'pending') pending = num(val);
      else if (k === 'lag') lag = val === null || val === undefined ? undefined : num(val);
    }
    groups.push({ name, pending, lag });
  }
  return groups;
}

/** XLEN + first entry (its id is its enqueue time) + XINFO GROUPS for pending and lag. */
const stream: TypeHandler = {
  commands: 3,
  add(p, key) {
    p.xlen(key).xrange(key, '-', '+', 'COUNT', 1).xinfo('GROUPS', key);
  },
  read(replies, at, now, out) {
    begin(out);
    const len = replies[at];
    const first = replies[at + 1];
    const groups = replies[at + 2];
    if (failed(len, out) || failed(first, out)) return;
    out.length = num(len![1]);
    const entry = (first![1] as unknown[] | undefined)?.[0] as unknown[] | undefined;
    const id = typeof entry?.[0] === 'string' ? (entry[0] as string) : undefined;
    out.ageSeconds = id ? ageFromTime(Number(id.slice(0, id.indexOf('-'))), now) : 0;
    // XINFO on a missing key is an error ("no such key"): the stream is gone, not broken.
    out.exists = !!groups && !groups[0];
    out.groups = out.exists ? readGroups(groups![1]) : [];
  },
};

/** ZCARD + lowest score: delayed queues score items by due time, so the lowest is the oldest. */
const zset: TypeHandler = {
  commands: 2,
  add(p, key) {
    p.zcard(key).zrange(key, '0', '0', 'WITHSCORES');
  },
  read(replies, at, now, out) {
    begin(out);
    const len = replies[at];
    const low = replies[at + 1];
    if (failed(len, out) || failed(low, out)) return;
    out.length = num(len![1]);
    out.exists = out.length > 0;
    const v = low![1] as unknown[];
    // RESP2: [member, score]; RESP3: [[member, score]].
    const score = Array.isArray(v?.[0]) ? (v[0] as unknown[])[1] : v?.[1];
    out.ageSeconds = out.length > 0 ? ageFromTime(Number(score), now) : 0;
  },
};

function sizeOnly(cmd: 'scard' | 'hlen'): TypeHandler {
  return {
    commands: 1,
    add(p, key) {
      p[cmd](key);
    },
    read(replies, at, _now, out) {
      begin(out);
      const len = replies[at];
      if (failed(len, out)) return;
      out.length = num(len![1]);
      out.exists = out.length > 0;
      out.ageSeconds = out.length > 0 ? undefined : 0;
    },
  };
}

export const handlers: Readonly<Record<DataType, TypeHandler>> = {
  list,
  stream,
  zset,
  set: sizeOnly('scard'),
  hash: sizeOnly('hlen'),
};
