/**
 * LLEN + LINDEX -1 for a whole chunk of list keys in one read-only script call: 20,000 separate
 * commands cost the client (command objects, promises) and Redis (parsing, dispatch) several times
 * more than 20 script calls doing the same reads. A key of another type yields -1 (WRONGTYPE).
 * Redis without scripting permission (ACL) falls back to plain pipelined commands.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { WRONGTYPE } from './errors.js';
import { itemAge, type KeyReading } from './queue-types.js';

const LIST_HEADS_LUA = `local out = {}
for i, k in ipairs(KEYS) do
  local n = redis.pcall('LLEN', k)
  if type(n) == 'table' then
    out[2 * i - 1] = -1
    out[2 * i] = false
  else
    out[2 * i - 1] = n
    out[2 * i] = redis.call('LINDEX', k, -1)
  end
end
return out`;
const LIST_HEADS_SHA = createHash('sha1').update(LIST_HEADS_LUA).digest('hex');

export class ListHeadsScript {
  /** False once this Redis refused scripts (ACL, disabled): plain pipelines from then on. */
  enabled = true;

  /** `onRefused` gets Redis's reason (unredacted) when scripts are turned off. */
  constructor(
    private readonly redis: Redis,
    private readonly onRefused: (message: string) => void,
  ) {}

  /** The script's flat [length, tail, ...] for `keys`, or undefined when scripts are refused here. */
  async read(keys: string[]): Promise<unknown[] | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return (await this.redis.evalsha(LIST_HEADS_SHA, keys.length, ...keys)) as unknown[];
      } catch (e) {
        const m = e instanceof Error ? e.message : String(e);
        if (m.startsWith('NOSCRIPT') && attempt === 0) {
          await this.redis.script('LOAD', LIST_HEADS_LUA);
          continue;
        }
        if (/^(NOPERM|NOSCRIPT|ERR unknown command|ERR .*(disabled|not allowed))/i.test(m)) {
          this.enabled = false;
          this.onRefused(m);
          return undefined;
        }
        throw e;
      }
    }
    return undefined;
  }
}

/** Reads the key at `at` / 2 of the script's reply into `out`, as a type handler reads its replies. */
export function readListHead(flat: unknown[], at: number, now: number, out: KeyReading): void {
  const n = Number(flat[at]);
  out.error = undefined;
  out.groups = undefined;
  if (n < 0) out.error = WRONGTYPE;
  out.length = Math.max(n, 0);
  out.exists = n > 0;
  out.ageSeconds = n > 0 ? itemAge(flat[at + 1], now) : 0;
}
