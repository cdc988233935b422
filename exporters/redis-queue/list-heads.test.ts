// The heads script against a private redis-server (it loads scripts, sets ACL users and measures
// the bytes Redis sends).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from '../../test/support/index.js';
import { isWrongType } from './errors.js';
import { HEAD_BYTES, HEADS_SCRIPT, readHead, readHeads } from './list-heads.js';
import { type DataType, emptyReading } from './queue-types.js';
import { Scripts } from './scripts.js';

const now = Date.now();
const item = (ts: number): string => JSON.stringify({ id: 'x', ts });
/** An item of about `bytes` bytes with its `ts` first (the recommended format). */
const bigItem = (ts: number, bytes: number): string => `{"ts":${ts},"payload":"${'x'.repeat(bytes)}"}`;
const MB16 = 16 * 1024 * 1024;

let priv: PrivateRedis;
let admin: Redis;

/** Bytes Redis has sent to all clients so far (INFO stats). */
async function netOutput(): Promise<number> {
  const info = await admin.info('stats');
  return Number(/total_net_output_bytes:(\d+)/.exec(info)![1]);
}

function read(flat: unknown[], j: number, type: DataType): ReturnType<typeof emptyReading> {
  const r = emptyReading();
  readHead(flat, 2 * j, type, now, r);
  return r;
}

beforeAll(async () => {
  priv = await startPrivateRedis();
  admin = new Redis({ port: priv.port });
  await admin.lpush('l:old', item(now - 30_000), item(now - 1000));
  await admin.lpush('l:raw', 'not json');
  await admin.lpush('l:big', bigItem(now - 40_000, MB16));
  await admin.lpush('l:late', `{"payload":"${'x'.repeat(HEAD_BYTES)}","ts":${now - 40_000}}`);
  await admin.zadd('z', now - 20_000, 'x'.repeat(MB16), now - 5000, 'b');
  await admin.zadd('z:prio', 1, 'a');
  await admin.sadd('s', 'a', 'b');
  await admin.hset('h', 'a', '1');
  await admin.acl('SETUSER', 'reader', 'on', '>readerpw', '~*', '+@all', '-@scripting');
});

afterAll(async () => {
  admin?.disconnect();
  await priv?.stop();
});

describe('the heads script', () => {
  it('reads length and oldest item of lists, zsets, sets and hashes in one call, loading itself on NOSCRIPT', async () => {
    await admin.script('FLUSH');
    const refused: Array<string | undefined> = [];
    const scripts = new Scripts(admin, [HEADS_SCRIPT], (m) => refused.push(m));
    const names = ['l:old', 'l:raw', 'missing', 's', 'z', 'z:prio', 's', 'h'];
    const types: DataType[] = ['list', 'list', 'list', 'list', 'zset', 'zset', 'set', 'hash'];
    const flat = await readHeads(scripts, names, types, [0, 1, 2, 3, 4, 5, 6, 7]);
    expect(flat).toHaveLength(16);
    expect(refused).toEqual([]);
    expect(scripts.enabled).toBe(true);

    expect(read(flat!, 0, 'list')).toMatchObject({ length: 2, exists: true, ageSeconds: 30, error: undefined });
    expect(read(flat!, 1, 'list')).toMatchObject({ length: 1, exists: true, ageSeconds: undefined, error: undefined });
    expect(read(flat!, 2, 'list')).toMatchObject({ length: 0, exists: false, ageSeconds: 0, error: undefined });
    // A key of another type reads as WRONGTYPE (its cached type is then dropped).
    const wrong = read(flat!, 3, 'list');
    expect(wrong.error && isWrongType(wrong.error)).toBe(true);
    expect(wrong).toMatchObject({ length: 0, exists: false });
    // A zset's age is its lowest score; a score that is no time (a priority) gives none.
    expect(read(flat!, 4, 'zset')).toMatchObject({ length: 2, exists: true, ageSeconds: 20 });
    expect(read(flat!, 5, 'zset')).toMatchObject({ length: 1, ageSeconds: undefined });
    expect(read(flat!, 6, 'set')).toMatchObject({ length: 2, exists: true, ageSeconds: undefined });
    expect(read(flat!, 7, 'hash')).toMatchObject({ length: 1, exists: true, ageSeconds: undefined, error: undefined });
  });

  it('sends the first HEAD_BYTES of a 16 MB oldest list item and no zset member, with the age still right', async () => {
    const scripts = new Scripts(admin, [HEADS_SCRIPT], () => {});
    const before = await netOutput();
    const flat = await readHeads(scripts, ['l:big', 'z'], ['list', 'zset'], [0, 1]);
    const sent = (await netOutput()) - before;
    expect(read(flat!, 0, 'list')).toMatchObject({ length: 1, ageSeconds: 40 });
    expect(read(flat!, 1, 'zset')).toMatchObject({ length: 2, ageSeconds: 20 });
    expect((flat![1] as string).length).toBe(HEAD_BYTES);
    // The reply, plus the INFO reply that measures it: kilobytes, not 32 MB.
    expect(sent).toBeLessThan(HEAD_BYTES + 16_384);
    // What the plain commands would have sent.
    const plainBefore = await netOutput();
    await admin.pipeline().lindex('l:big', -1).zrange('z', '0', '0', 'WITHSCORES').exec();
    expect((await netOutput()) - plainBefore).toBeGreaterThan(2 * MB16);
  });

  it('gives no age, rather than a wrong one, when the top-level ts lies past the first HEAD_BYTES', async () => {
    const scripts = new Scripts(admin, [HEADS_SCRIPT], () => {});
    const flat = await readHeads(scripts, ['l:late'], ['list'], [0]);
    expect(read(flat!, 0, 'list')).toMatchObject({ length: 1, exists: true, ageSeconds: undefined });
  });

  it('turns scripts off when this Redis refuses them (ACL), saying why once', async () => {
    const reader = new Redis({ port: priv.port, username: 'reader', password: 'readerpw' });
    try {
      const refused: Array<string | undefined> = [];
      const scripts = new Scripts(reader, [HEADS_SCRIPT], (m) => refused.push(m));
      expect(await readHeads(scripts, ['l:old'], ['list'], [0])).toBeUndefined();
      expect(scripts.enabled).toBe(false);
      expect(await readHeads(scripts, ['l:old'], ['list'], [0])).toBeUndefined();
      expect(await scripts.load()).toBe(false);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatch(/^NOPERM/);
    } finally {
      reader.disconnect();
    }
  });
});
