import { describe, expect, it } from 'vitest';
import { MASK, redactSecrets } from 'voting-mixin/runtime';
import { RedisUrlError, redisTarget } from './redis-url.js';

describe('redisTarget', () => {
  it('parses user, password, db and TLS, and masks the password in the display form', () => {
    const t = redisTarget('rediss://app:p%40ss@redis.example:6380/2');
    expect(t.options).toMatchObject({ host: 'redis.example', port: 6380, db: 2, username: 'app', password: 'p@ss' });
    expect(t.options.tls).toMatchObject({ servername: 'redis.example' });
    expect(t.display).toBe('rediss://app:***@redis.example:6380/2');
    expect(t.secrets).toEqual(['p@ss', 'p%40ss']);
  });
  it('takes host:port and falls back to credentials from flags or a file', () => {
    const t = redisTarget('127.0.0.1:6379', { username: 'ops', password: 'fromfile' });
    expect(t.options).toMatchObject({ host: '127.0.0.1', port: 6379, username: 'ops', password: 'fromfile' });
    expect(t.options.tls).toBeUndefined();
    expect(t.display).toBe('redis://ops:***@127.0.0.1:6379');
    expect(t.secrets).toEqual(['fromfile']);
  });
  it('has no secrets without a password', () => {
    const t = redisTarget('redis://h:1/0');
    expect(t.secrets).toEqual([]);
    expect(t.display).toBe('redis://h:1/0');
  });
  it('rejects other schemes and bad databases without echoing the password', () => {
    expect(() => redisTarget('http://u:hunter2@h')).toThrow(RedisUrlError);
    expect(() => redisTarget('http://u:hunter2@h')).toThrow(/u:\*\*\*@h/);
    expect(() => redisTarget('http://u:hunter2@h')).not.toThrow(/hunter2/);
    expect(() => redisTarget('redis://h/x')).toThrow(/database must be a number/);
  });
});

describe('redacting what ioredis says with the target secrets', () => {
  it('removes the password, raw and URL-encoded, and URL passwords from any text', () => {
    const { secrets } = redisTarget('redis://:p%40ss@h');
    expect(redactSecrets('WRONGPASS for p@ss (p%40ss) at redis://a:b@c', secrets)).toBe(
      `WRONGPASS for ${MASK} (${MASK}) at redis://a:${MASK}@c`,
    );
    expect(redactSecrets('no url here', secrets)).toBe('no url here');
  });
});
