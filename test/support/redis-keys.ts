/** Keys of the shared Redis that a test may use: a unique prefix per test, removed afterwards. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** `tag_<time>_<random>`: unique across parallel test files and repeated runs. */
export const uniqueId = (tag: string): string => `${tag}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

/** The machine's shared Redis; TEST_REDIS_URL overrides it. */
export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key starting with `prefix` (SCAN, never KEYS). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true });
  await r.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}
