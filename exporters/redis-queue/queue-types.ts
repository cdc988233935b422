/**
 * One handler per Redis data type a queue can live in: which commands to pipeline for a key, and
 * how to read their replies into a length, an oldest-item age and (streams) per-group figures.
 * Handlers write into a reusable `KeyReading` instead of returning objects: with 10,000 keys per
 * scrape, allocation matters.
 *
 * The item formats the oldest-item age is read from (anything else has a length and no age series):
 * - list: the oldest item is the tail (producers LPUSH, consumers RPOP/BRPOPLPUSH) and is a JSON
 *   object with a top-level `ts`, a JSON number of milliseconds or seconds since the epoch
 *   (`{"id":"…","ts":1718000000000}`), within the item's first HEAD_BYTES (8 KiB, list-heads.ts):
 *   a `ts` further in is not seen (put `ts` first in large items). A `ts` nested in another object,
 *   a string `ts`, or a number that is no plausible time (before 2001, after 5138) gives no age;
 *   with two top-level `ts`, the first wins. A `ts` in the future counts as age 0.
 * - zset: the score is the enqueue or due time (ms or s since the epoch); the lowest score is the
 *   oldest item. Scores that are no plausible time (priorities) give no age.
 * - stream: the entry id `<ms>-<seq>` is the enqueue time (XADD `*`); with consumer groups the oldest
 *   entry still waiting for the slowest group (pending, else first undelivered) decides.
 * - set, hash: a length only, no age (no order, no time).
 */
import type { ChainableCommander } from 'ioredis';
import type { KeyName } from './key-names.js';
import { LuaScript, type ScriptShas } from './scripts.js';

export type DataType = 'list' | 'stream' | 'zset' | 'set' | 'hash';
export const DATA_TYPES: ReadonlySet<string> = new Set<DataType>(['list', 'stream', 'zset', 'set', 'hash']);

/** A pipeline reply: ioredis gives [error, value] per command. */
export type Reply = [error: Error | null, value: unknown];

export interface GroupReading {
  name: string;
  pending: number;
  /** Undefined when Redis cannot tell (lag is null after XDEL/XTRIM past the group; no lag before Redis 7). */
  lag: number | undefined;
  /** Entries after this id are not yet delivered to the group. */
  lastDeliveredId: string;
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
  /** `scripts`: the exporter's scripts are loaded here (scripts.ts), so commands may use them; undefined: plain commands. */
  add(p: ChainableCommander, key: KeyName, scripts: ScriptShas | undefined): void;
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

/**
 * Whether `at` in a JSON object text is at its top level, outside any string: the depth of
 * unescaped brackets and braces before it is 1 (the object's own brace).
 */
function atTopLevel(item: string, at: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < at; i++) {
    const c = item.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // `\`: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  return !inString && depth === 1;
}

/** Where the only top-level `"ts":` of a JSON object text is; -1 when there is none or several. */
function onlyTopLevelTs(item: string): number {
  let depth = 0;
  let inString = false;
  let found = -1;
  for (let i = 0; i < item.length; i++) {
    const c = item.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // `\`: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      if (depth === 1 && item.startsWith('"ts":', i)) {
        if (found !== -1) return -1; // twice: JSON.parse takes the last, let it decide
        found = i;
      }
      inString = true;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  return found;
}

/** The JSON path of `itemAge`: the item's top-level `ts`, when it is a number. */
export function itemAgeParsed(item: unknown, now: number): number | undefined {
  if (typeof item !== 'string' || item.charCodeAt(0) !== 123) return undefined;
  try {
    const parsed = JSON.parse(item) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const ts = (parsed as { ts?: unknown }).ts;
    return typeof ts === 'number' ? ageFromTime(ts, now) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Age from a queue item's top-level JSON `ts` field; undefined for non-JSON items or items without
 * one. A `ts` nested in another object (`{"payload":{"ts":…}}`) is not the enqueue time.
 */
export function itemAge(item: unknown, now: number): number | undefined {
  // Cheap reject before any parsing: queue items we understand are JSON objects.
  if (typeof item !== 'string' || item.charCodeAt(0) !== 123) return undefined;
  // Fast path without JSON.parse (10,000 items per scrape): a top-level `"ts":` followed by digits.
  // The text before it is walked for depth and strings, so a nested `"ts":` or one inside a string
  // is not taken. Anything unusual (spaces, a fraction, an exponent, a leading 0) goes through
  // JSON.parse, which gives the same answer. Several `"ts":` (a payload with its own `ts`): the
  // only top-level one is taken, so that an item cut to its first bytes (list-heads.ts), which
  // JSON.parse cannot read, still gives its age.
  let at = item.indexOf('"ts":');
  if (at !== -1 && item.indexOf('"ts":', at + 5) !== -1) at = onlyTopLevelTs(item);
  if (at !== -1) {
    let i = at + 5;
    let ts = 0;
    let digits = 0;
    const leadingZero = item.charCodeAt(i) === 48;
    for (let c = item.charCodeAt(i); c >= 48 && c <= 57; c = item.charCodeAt(++i)) {
      ts = ts * 10 + (c - 48);
      digits++;
    }
    const end = item.charCodeAt(i);
    // `,` or `}` after the digits.
    if (digits > 0 && digits < 16 && !(leadingZero && digits > 1) && (end === 44 || end === 125)) {
      if (atTopLevel(item, at)) return ageFromTime(ts, now);
      // Nested, or inside a string: JSON.parse decides.
    }
  }
  return itemAgeParsed(item, now);
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

/**
 * LLEN + LINDEX -1: producers LPUSH, so the oldest item is at the tail. This plain form transfers
 * the whole item; list-heads.ts reads lists with a script that sends its first bytes only.
 */
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
    let lastDeliveredId = '0-0';
    // RESP2 and ioredis' legacy RESP3 mapping give flat [field, value, ...]; resp3 mapping gives objects.
    const pairs: Array<[string, unknown]> = Array.isArray(g)
      ? Array.from({ length: g.length >> 1 }, (_, i) => [String(g[2 * i]), g[2 * i + 1]] as [string, unknown])
      : Object.entries((g ?? {}) as Record<string, unknown>);
    for (const [k, val] of pairs) {
      if (k === 'name') name = String(val);
      else if (k === 'pending') pending = num(val);
      else if (k === 'lag') lag = val === null || val === undefined ? undefined : num(val);
      else if (k === 'last-delivered-id') lastDeliveredId = String(val);
    }
    groups.push({ name, pending, lag, lastDeliveredId });
  }
  return groups;
}

/**
 * How many entries of a stream there are from ARGV[1] on, at most ARGV[2], and the first one's id:
 * what XRANGE would say about them without transferring their fields (an entry can be megabytes).
 */
export const STREAM_RANGE_SCRIPT =
  new LuaScript(`local r = redis.pcall('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])
if r.err then return r end
if #r == 0 then return {0} end
return {#r, r[1][1]}`);

/** XRANGE ... COUNT n, through the stream-range script when `scripts` are loaded. */
function addRange(
  p: ChainableCommander,
  key: KeyName,
  start: string,
  count: number,
  scripts: ScriptShas | undefined,
): void {
  if (scripts) p.evalsha(scripts.sha(STREAM_RANGE_SCRIPT), 1, key, start, count);
  else p.xrange(key, start, '+', 'COUNT', count);
}

/** Entries in an `addRange` reply: the script's [count, first id] or XRANGE's entries. */
function rangeCount(v: unknown): number {
  if (!Array.isArray(v)) return 0;
  return typeof v[0] === 'number' ? v[0] : v.length;
}

/** The first entry's id in an `addRange` reply. */
function rangeFirstId(v: unknown): unknown {
  if (!Array.isArray(v)) return undefined;
  return typeof v[0] === 'number' ? v[1] : (v[0] as unknown[] | undefined)?.[0];
}

/** Age of a stream entry from its id, `<ms>-<seq>`: the entry itself need not be transferred. */
function idAge(id: unknown, now: number): number | undefined {
  if (typeof id !== 'string') return undefined;
  const dash = id.indexOf('-');
  return ageFromTime(Number(dash === -1 ? id : id.slice(0, dash)), now);
}

/**
 * Caps each group's lag at the `xlen` entries the stream holds. Redis can keep reporting a lag for
 * entries trimmed away (`XTRIM s MAXLEN 0` past a group with entries undelivered: XLEN 0, lag 2),
 * and entries that no longer exist are not waiting. The pending entries the stream still holds are
 * delivered, so not part of the lag either, but they are not subtracted: the pending list also
 * keeps entries deleted since delivery, so how many of them the stream holds is unknown, and
 * subtracting all of them could hide real lag. Done in the first round, so that the second asks
 * for what the capped lag needs (`groupCommands`).
 */
function capLags(groups: GroupReading[], xlen: number): void {
  for (const g of groups) if (g.lag !== undefined && g.lag > xlen) g.lag = xlen;
}

/**
 * XLEN + first entry's id (its enqueue time) + XINFO GROUPS for pending and lag. This is the
 * whole reading of a stream without consumer groups; one with groups needs `streamBacklog` too, as
 * consumed and acknowledged entries stay in the stream until it is trimmed.
 */
const stream: TypeHandler = {
  commands: 3,
  add(p, key, scripts) {
    p.xlen(key);
    addRange(p, key, '-', 1, scripts);
    p.xinfo('GROUPS', key);
  },
  read(replies, at, now, out) {
    begin(out);
    const len = replies[at];
    const first = replies[at + 1];
    const groups = replies[at + 2];
    if (failed(len, out) || failed(first, out)) return;
    out.length = num(len![1]);
    const id = rangeFirstId(first![1]);
    out.ageSeconds = typeof id === 'string' ? idAge(id, now) : 0;
    // XINFO on a missing key is an error ("no such key"): the stream is gone, not broken.
    out.exists = !!groups && !groups[0];
    out.groups = out.exists ? readGroups(groups![1]) : [];
    capLags(out.groups, out.length);
  },
};

/**
 * Entries counted after a group's last-delivered-id when Redis does not know the group's lag: the
 * count walks the entries in Redis (and, without scripts, transfers them), so it stops here and the
 * backlog falls back to an upper bound.
 */
export const LAG_COUNT_LIMIT = 1000;

/** The id right after `id` (`<ms>-<seq>`), so that XRANGE starts after it on any Redis (`(id` needs 6.2). */
export function nextStreamId(id: string): string {
  const dash = id.indexOf('-');
  const ms = BigInt(dash === -1 ? id : id.slice(0, dash));
  const seq = dash === -1 ? 0n : BigInt(id.slice(dash + 1));
  return seq >= 0xffffffffffffffffn ? `${ms + 1n}-0` : `${ms}-${seq + 1n}`;
}

/** What the second round asks Redis about one group; `add` and `read` must agree, so both use this. */
function groupCommands(g: GroupReading): { pendingHead: boolean; after: number } {
  return {
    pendingHead: g.pending > 0,
    // Lag unknown: count the undelivered entries (bounded). Lag known but nothing pending: the first
    // undelivered entry gives the age.
    after: g.lag === undefined ? LAG_COUNT_LIMIT : g.pending === 0 && g.lag > 0 ? 1 : 0,
  };
}

function isNoGroup(e: Error | null): boolean {
  return !!e && e.message.startsWith('NOGROUP');
}

/**
 * The second round for a stream read by consumer groups, run on the first round's reading. A
 * group's backlog is what it has not been delivered yet (lag) plus what it was delivered and has
 * not acknowledged (pending); its oldest waiting entry is the oldest pending one or, with none
 * pending, the first after its last-delivered-id. The stream's length is the largest backlog across
 * its groups, its age the oldest waiting entry of any group: the slowest consumer group decides
 * whether work is waiting.
 */
export const streamBacklog = {
  /** Whether a first-round reading needs this round (a stream with at least one group). */
  needed(r: KeyReading): boolean {
    return !r.error && !!r.groups && r.groups.length > 0;
  },
  add(p: ChainableCommander, key: KeyName, groups: readonly GroupReading[], scripts: ScriptShas | undefined): void {
    for (const g of groups) {
      const c = groupCommands(g);
      // Extended form with COUNT 1: one entry's id, consumer and counters back, not its fields.
      if (c.pendingHead) p.xpending(key, g.name, '-', '+', 1);
      if (c.after > 0) addRange(p, key, nextStreamId(g.lastDeliveredId), c.after, scripts);
    }
  },
  /** Commands `add` queues for these groups. */
  commands(groups: readonly GroupReading[]): number {
    let n = 0;
    for (const g of groups) {
      const c = groupCommands(g);
      n += (c.pendingHead ? 1 : 0) + (c.after > 0 ? 1 : 0);
    }
    return n;
  },
  /** Reads the replies from `at` into `out`, which holds the first round's reading. */
  read(replies: Reply[], at: number, now: number, out: KeyReading): void {
    const xlen = out.length;
    let length = 0;
    let age: number | undefined;
    for (const g of out.groups!) {
      const c = groupCommands(g);
      const head = c.pendingHead ? replies[at++] : undefined;
      const after = c.after > 0 ? replies[at++] : undefined;
      // A group destroyed between the two rounds is gone, not an error.
      if (isNoGroup(head?.[0] ?? null)) continue;
      if ((head && failed(head, out)) || (after && failed(after, out))) return;
      const counted = rangeCount(after?.[1]);
      let lag = g.lag;
      if (lag === undefined) {
        // Past the bound, at most every entry the stream holds that is not pending is undelivered.
        lag = counted < LAG_COUNT_LIMIT ? counted : Math.max(LAG_COUNT_LIMIT, xlen - g.pending);
      }
      const backlog = lag + g.pending;
      if (backlog > length) length = backlog;
      if (backlog === 0) continue;
      const oldest = c.pendingHead
        ? ((head![1] as unknown[] | undefined)?.[0] as unknown[] | undefined)?.[0]
        : rangeFirstId(after?.[1]);
      const a = idAge(oldest, now);
      if (a !== undefined && (age === undefined || a > age)) age = a;
    }
    out.length = length;
    // As for an empty list: no waiting entry is an age of 0.
    out.ageSeconds = length > 0 ? age : 0;
  },
};

/**
 * ZCARD + lowest score: delayed queues score items by due time, so the lowest is the oldest. This
 * plain form transfers the lowest member too; list-heads.ts reads zsets with a script that does not.
 */
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
