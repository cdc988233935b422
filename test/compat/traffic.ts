/**
 * Realistic contents and traffic for the private Redis the compatibility test watches: keys of
 * every type in db0 and db1, some with a TTL, the exporter's default `votes` queue with a
 * processing list, a stream read by a consumer group; then, while Prometheus scrapes, reads that
 * hit and miss, writes, INCRs, queue pushes and pops, keys that expire, commands that fail, and
 * every command in the slowlog, so every rate() on the dashboards has something to show.
 */
import { Redis } from 'ioredis';

const item = (id: number, ageMs: number) =>
  JSON.stringify({ id: `v${id}`, voter: `voter-${id % 97}`, option: id % 2 ? 'cats' : 'dogs', ts: Date.now() - ageMs });

/** Fills the primary (the replica copies it). */
export async function seedRedis(port: number): Promise<void> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    // Every command goes to the slowlog, so redis_slowlog_* and the last slow execution have values.
    await r.config('SET', 'slowlog-log-slower-than', '0');
    await r.config('SET', 'slowlog-max-len', '128');
    // One latency spike (a 1 ms threshold and a Lua loop of a few ms), so LATENCY LATEST has an
    // event, as on any Redis whose operators turned the latency monitor on.
    await r.config('SET', 'latency-monitor-threshold', '1');
    await r.eval('local i = 0 while i < 3000000 do i = i + 1 end return i', 0);
    const p = r.pipeline();
    for (let i = 0; i < 40; i++) p.lpush('votes', item(i, 40_000 - i * 1000));
    p.lpush('votes:processing:worker-1', item(1000, 5_000));
    for (let i = 0; i < 200; i++) {
      if (i % 4 === 0) p.set(`user:${i}`, `name-${i}`, 'EX', 3600);
      else p.set(`user:${i}`, `name-${i}`);
    }
    for (let i = 0; i < 20; i++) {
      p.hset(`session:${i}`, { user: `user:${i}`, started: String(Date.now()) });
      p.expire(`session:${i}`, 1800);
    }
    p.sadd('tags', 'redis', 'queue', 'votes', 'metrics');
    p.zadd('leaderboard', 10, 'cats', 7, 'dogs', 3, 'birds');
    p.set('counter:votes', '0');
    p.set('not-a-number', 'abc');
    for (let i = 0; i < 50; i++) p.xadd('events', '*', 'kind', 'vote', 'n', String(i));
    p.xgroup('CREATE', 'events', 'audit', '0');
    p.xreadgroup('GROUP', 'audit', 'auditor-1', 'COUNT', '30', 'STREAMS', 'events', '>');
    p.select(1);
    for (let i = 0; i < 60; i++) p.set(`cache:${i}`, 'x'.repeat(64), 'EX', 600 + i);
    p.rpush('jobs', 'a', 'b', 'c');
    p.select(0);
    await p.exec();
  } finally {
    r.disconnect();
  }
}

export interface Traffic {
  /** Rounds sent so far. */
  rounds(): number;
  stop(): Promise<void>;
}

/** Sends a round of mixed commands every `everyMs` until stopped. */
export function startTraffic(port: number, everyMs = 100): Traffic {
  const db0 = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  const db1 = new Redis({ port, host: '127.0.0.1', db: 1, maxRetriesPerRequest: 1 });
  let n = 0;
  let stopped = false;
  const round = async (): Promise<void> => {
    n++;
    const p = db0.pipeline();
    p.get(`user:${n % 200}`); // hit
    p.get(`missing:${n}`); // miss
    p.set(`user:${n % 200}`, `name-${n}`);
    p.incr('counter:votes');
    p.lpush('votes', item(10_000 + n, 0));
    p.rpop('votes');
    p.set(`tmp:${n}`, 'short-lived', 'PX', 150); // expires: expired_keys moves
    p.incr('not-a-number'); // fails: errorstats, failed_calls
    p.hincrby(`session:${n % 20}`, 'hits', 1);
    p.zincrby('leaderboard', 1, n % 2 ? 'cats' : 'dogs');
    p.xadd('events', 'MAXLEN', '~', '500', '*', 'kind', 'vote', 'n', String(n));
    await p.exec();
    // A call with the wrong arity is rejected before it runs (rejected_calls).
    await db0.call('get').catch(() => undefined);
    await db1.get(`cache:${n % 60}`);
    await db1.get(`nope:${n}`);
  };
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      await round().catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - started))));
    }
  })();
  return {
    rounds: () => n,
    stop: async () => {
      stopped = true;
      await loop;
      db0.disconnect();
      db1.disconnect();
    },
  };
}
