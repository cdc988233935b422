/**
 * Length and oldest-item time of a whole chunk of list, zset, set and hash keys in one read-only
 * script call: 20,000 separate commands cost the client (command objects, promises) and Redis
 * (parsing, dispatch) several times more than 20 script calls doing the same reads, and the script
 * sends back only what the age needs:
 * - a list's oldest item (the tail, LINDEX -1) is cut to its first HEAD_BYTES bytes, where the
 *   item's top-level `ts` must be (queue-types.ts `itemAge`); a 16 MB item costs 8 KiB, not 16 MB;
 * - a zset's lowest score without its member (often the whole job).
 * A key of another type yields -1 (WRONGTYPE). Redis without scripting permission (ACL) falls back
 * to plain pipelined commands (queue-types.ts handlers), which transfer the whole oldest item.
 */
import { WRONGTYPE } from './errors.js';
import type { KeyName } from './key-names.js';
import { ageFromTime, type DataType, itemAge, type KeyReading } from './queue-types.js';
import { LuaScript, type Scripts } from './scripts.js';

/**
 * Bytes of a list's oldest item read for its `ts`. Items we produce are ~130 bytes; a `ts` after
 * 8 KiB of other fields is not found and the queue has no age series (as for an item without one).
 */
export const HEAD_BYTES = 8192;

/** The one-letter codes of the types this script reads (streams need their own rounds). */
const CODES: Partial<Record<DataType, string>> = { list: 'l', zset: 'z', set: 's', hash: 'h' };

export const HEADS_SCRIPT = new LuaScript(`local codes, bytes, out = ARGV[1], tonumber(ARGV[2]), {}
for i, k in ipairs(KEYS) do
  local t = string.sub(codes, i, i)
  local n
  if t == 'l' then n = redis.pcall('LLEN', k)
  elseif t == 'z' then n = redis.pcall('ZCARD', k)
  elseif t == 's' then n = redis.pcall('SCARD', k)
  else n = redis.pcall('HLEN', k) end
  if type(n) == 'table' then
    out[2 * i - 1] = -1
    out[2 * i] = false
  else
    out[2 * i - 1] = n
    if n > 0 and t == 'l' then
      out[2 * i] = string.sub(redis.call('LINDEX', k, -1), 1, bytes)
    elseif n > 0 and t == 'z' then
      out[2 * i] = redis.call('ZRANGE', k, 0, 0, 'WITHSCORES')[2]
    else
      out[2 * i] = false
    end
  end
end
return out`);

/** Whether the heads script reads keys of this type (streams need their own rounds). */
export function isHead(type: DataType): boolean {
  return CODES[type] !== undefined;
}

/**
 * The script's flat [length, head, ...] for the jobs `chunk` (indexes into `names` and `types`),
 * or undefined when scripts are refused here. `head` is a list's item prefix, a zset's lowest
 * score, else nil.
 */
export function readHeads(
  scripts: Scripts,
  names: readonly KeyName[],
  types: readonly DataType[],
  chunk: readonly number[],
): Promise<unknown[] | undefined> {
  let codes = '';
  const keys: KeyName[] = [];
  for (const j of chunk) {
    codes += CODES[types[j]!];
    keys.push(names[j]!);
  }
  return scripts.call(HEADS_SCRIPT, keys, [codes, HEAD_BYTES]) as Promise<unknown[] | undefined>;
}

/** Reads the key at `at` / 2 of the script's reply into `out`, as a type handler reads its replies. */
export function readHead(flat: unknown[], at: number, type: DataType, now: number, out: KeyReading): void {
  const n = Number(flat[at]);
  out.error = undefined;
  out.groups = undefined;
  if (n < 0) out.error = WRONGTYPE;
  out.length = Math.max(n, 0);
  out.exists = n > 0;
  if (n <= 0) out.ageSeconds = 0;
  else if (type === 'list') out.ageSeconds = itemAge(flat[at + 1], now);
  else if (type === 'zset') out.ageSeconds = ageFromTime(Number(flat[at + 1]), now);
  else out.ageSeconds = undefined;
}
