// The scripts' two bodies: declared no-writes for Redis ≥ 7.0, plain for older Redis, which does
// not compile a shebang. Redis 6 is not installed here, so its compilation is reproduced in the
// Lua of a private Redis 7: Redis 6 compiles a script as `function f_<sha>() <body>\nend`.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from '../../test/support/index.js';
import { HEADS_SCRIPT } from './list-heads.js';
import { STREAM_RANGE_SCRIPT } from './queue-types.js';
import { isShebangRejected, LuaScript, NO_WRITES_SHEBANG, Scripts } from './scripts.js';

const ALL = [HEADS_SCRIPT, STREAM_RANGE_SCRIPT];

let priv: PrivateRedis;
let admin: Redis;

beforeAll(async () => {
  priv = await startPrivateRedis();
  admin = new Redis({ port: priv.port });
});

afterAll(async () => {
  admin?.disconnect();
  await priv?.stop();
});

/** Compiles `body` as Redis 6 does; Lua's error, or undefined when it compiles. */
async function redis6Compile(body: string): Promise<string | undefined> {
  const err = await admin.eval(
    "local _, e = loadstring('function f_x() ' .. ARGV[1] .. '\\nend') return e or false",
    0,
    body,
  );
  return typeof err === 'string' ? err : undefined;
}

describe('the scripts for Redis 7 and for Redis 6', () => {
  it('are declared no-writes for Redis ≥ 7, and the Redis 6 bodies have no shebang', () => {
    for (const s of ALL) {
      expect(s.body.startsWith(`${NO_WRITES_SHEBANG}\n`)).toBe(true);
      expect(s.legacyBody).not.toContain('#!');
      expect(s.body).toBe(`${NO_WRITES_SHEBANG}\n${s.legacyBody}`);
      expect(s.legacySha).not.toBe(s.sha);
    }
  });

  it('compile as Redis 6 compiles them only without the shebang, whose error is recognised', async () => {
    for (const s of ALL) {
      expect(await redis6Compile(s.legacyBody)).toBeUndefined();
      const err = await redis6Compile(s.body);
      expect(err).toMatch(/near '#'/);
      expect(isShebangRejected(`ERR Error compiling script (new function): ${err}`)).toBe(true);
    }
    // Any other compile error is a broken script, not an old Redis.
    expect(isShebangRejected("ERR Error compiling script (new function): user_script:2: '=' expected near 'x'")).toBe(
      false,
    );
  });

  it('run by the no-writes SHA on Redis 7, as loaded', async () => {
    const script = new LuaScript("return redis.call('LLEN', KEYS[1])");
    await admin.rpush('l', 'a', 'b');
    const scripts = new Scripts(admin, [script], () => undefined);
    expect(await scripts.load()).toBe(true);
    expect(scripts.sha(script)).toBe(script.sha);
    expect(await admin.script('EXISTS', script.sha, script.legacySha)).toEqual([1, 0]);
    expect(await scripts.call(script, ['l'], [])).toBe(2);
    // The flag holds: a write from such a script is refused (so a write pause need not wait for it).
    const writer = new LuaScript("return redis.call('DEL', KEYS[1])");
    await admin.script('LOAD', writer.body);
    await expect(admin.evalsha(writer.sha, 1, 'l')).rejects.toThrow(/Write commands are not allowed/);
    expect(await admin.llen('l')).toBe(2);
  });
});
