// The list-heads script against a private redis-server (it loads scripts and sets ACL users).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from '../../test/support/index.js';
import { isWrongType } from './errors.js';
import { ListHeadsScript, readListHead } from './list-heads.js';
import { emptyReading } from './queue-types.js';

const now = Date.now();
const item = (ts: number): string => JSON.stringify({ id: 'x', ts });

let priv: PrivateRedis;
let admin: Redis;

beforeAll(async () => {
  priv = await startPrivateRedis();
  admin = new Redis({ port: priv.port });
  await admin.lpush('l:old', item(now - 30_000), item(now - 1000));
  await admin.lpush('l:raw', 'not json');
  await admin.sadd('s', 'a');
  await admin.acl('SETUSER', 'reader', 'on', '>readerpw', '~*', '+@all', '-@scripting');
});

afterAll(async () => {
  admin?.disconnect();
  await priv?.stop();
});

describe('ListHeadsScript', () => {
  it('reads length and tail of every key in one call, loading the script on NOSCRIPT', async () => {
    await admin.script('FLUSH');
    const refused: string[] = [];
    const script = new ListHeadsScript(admin, (m) => refused.push(m));
    const flat = await script.read(['l:old', 'l:raw', 'missing', 's']);
    expect(flat).toHaveLength(8);
    expect(refused).toEqual([]);
    expect(script.enabled).toBe(true);

    const r = emptyReading();
    readListHead(flat!, 0, now, r);
    expect(r).toMatchObject({ length: 2, exists: true, error: undefined, groups: undefined });
    expect(r.ageSeconds).toBe(30);
    readListHead(flat!, 2, now, r);
    expect(r).toMatchObject({ length: 1, exists: true, ageSeconds: undefined, error: undefined });
    readListHead(flat!, 4, now, r);
    expect(r).toMatchObject({ length: 0, exists: false, ageSeconds: 0, error: undefined });
    // A key of another type reads as WRONGTYPE (its cached type is then dropped).
    readListHead(flat!, 6, now, r);
    expect(r.error && isWrongType(r.error)).toBe(true);
    expect(r).toMatchObject({ length: 0, exists: false });
  });

  it('turns itself off when this Redis refuses scripts (ACL), saying why once', async () => {
    const reader = new Redis({ port: priv.port, username: 'reader', password: 'readerpw' });
    try {
      const refused: string[] = [];
      const script = new ListHeadsScript(reader, (m) => refused.push(m));
      expect(await script.read(['l:old'])).toBeUndefined();
      expect(script.enabled).toBe(false);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatch(/^NOPERM/);
    } finally {
      reader.disconnect();
    }
  });
});
