// An exporter user without CONFIG, SLOWLOG, LATENCY or scripting (ACL), and a Redis with CONFIG
// renamed away, against private redis-servers: collections stay complete and error-free, the
// families those commands feed are absent, and each refusal is logged once with what is lost and
// the ACL rule to grant, then once more when it is granted.
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics, type QueueConfig, queueDefaults } from 'voting-mixin/config';
import { type PrivateRedis, startPrivateRedis } from '../../test/support/index.js';
import { QueueCollector } from './collector.js';
import { OPTIONAL_COMMANDS } from './permissions.js';

const now = Date.now();
const PASSWORD = 'limited-pw-4711';
const QUEUES: QueueConfig[] = [
  { ...queueDefaults, name: 'list', key: 'list', type: 'list' },
  { ...queueDefaults, name: 'stream', key: 'stream', type: 'stream' },
];

let priv: PrivateRedis;
let renamed: PrivateRedis;
let admin: Redis;
const clients: Redis[] = [];

type Logged = Array<{ level: 'warn' | 'info'; obj: { command?: string; err?: string }; msg: string }>;
type Values = Array<{ labels: Record<string, string>; value: number }>;

function collector(client: Redis): { registry: Registry; logged: Logged } {
  clients.push(client);
  const registry = new Registry();
  const logged: Logged = [];
  const logger = {
    warn: (obj: object, msg: string) => logged.push({ level: 'warn', obj, msg }),
    info: (obj: object, msg: string) => logged.push({ level: 'info', obj, msg }),
    debug: () => undefined,
  };
  new QueueCollector(client, registry, {
    queues: QUEUES,
    pipelineSize: 100,
    scanCount: 100,
    timeoutMs: 5000,
    typeCache: true,
    secrets: [PASSWORD],
    logger,
  });
  return { registry, logged };
}

/** One scrape: each family's values by name. */
async function scrape(registry: Registry): Promise<Map<string, Values>> {
  const json = await registry.getMetricsAsJSON();
  return new Map(json.map((m) => [m.name, m.values as Values]));
}

/** Commands logged at `level`, in order. */
const commands = (logged: Logged, level: 'warn' | 'info'): Array<string | undefined> =>
  logged.filter((l) => l.level === level && l.obj.command).map((l) => l.obj.command);

const LOST = [
  metrics.redisSlowlogLength.name,
  metrics.redisSlowlogLastId.name,
  metrics.redisLastSlowExecutionDurationSeconds.name,
  metrics.redisConfigIoThreads.name,
  metrics.redisLatencySpikeLast.name,
];

beforeAll(async () => {
  priv = await startPrivateRedis({ args: ['--enable-debug-command', 'yes'] });
  renamed = await startPrivateRedis({ args: ['--rename-command', 'CONFIG', ''] });
  admin = new Redis({ port: priv.port });
  // A latency event, so that LATENCY LATEST has something to report when allowed.
  await admin.config('SET', 'latency-monitor-threshold', '1');
  await admin.call('DEBUG', 'SLEEP', '0.01');
  await admin.lpush('list', JSON.stringify({ ts: now - 30_000 }));
  await admin.xadd('stream', `${now - 60_000}-0`, 'v', '1');
  await admin.xadd('stream', `${now - 50_000}-0`, 'v', '2');
  await admin.xgroup('CREATE', 'stream', 'g', `${now - 60_000}-0`);
  await admin.acl('SETUSER', 'limited', 'on', `>${PASSWORD}`, '~*', '+@all', '-config', '-slowlog', '-latency');
  await admin.acl('SETUSER', 'limited', '-@scripting');
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  admin?.disconnect();
  await priv?.stop();
  await renamed?.stop();
});

describe('a user without CONFIG, SLOWLOG, LATENCY and scripting', () => {
  it('collects everything else without error, warning once per command across scrapes, and again when granted', async () => {
    const client = new Redis({ port: priv.port, username: 'limited', password: PASSWORD });
    const { registry, logged } = collector(client);
    for (let i = 0; i < 3; i++) {
      const m = await scrape(registry);
      expect(m.get(metrics.redisUp.name)?.[0]?.value).toBe(1);
      expect(m.get(metrics.redisExporterLastScrapeError.name)?.[0]).toMatchObject({ value: 0 });
      expect(m.get(metrics.exporterLastScrapeTimedOut.name)?.[0]?.value).toBe(0);
      for (const name of LOST) expect(m.get(name) ?? [], name).toEqual([]);
      // What INFO gives in CONFIG's place, and the queues (through plain commands).
      expect(m.get(metrics.redisConfigMaxmemory.name)).toHaveLength(1);
      expect(m.get(metrics.redisConfigMaxclients.name)?.[0]?.value).toBeGreaterThan(0);
      const lengths = Object.fromEntries(
        (m.get(metrics.redisQueueLength.name) ?? []).map((v) => [v.labels.queue, v.value]),
      );
      expect(lengths).toEqual({ list: 1, stream: 1 });
    }
    expect(commands(logged, 'warn').sort()).toEqual(['CONFIG GET', 'LATENCY LATEST', 'SLOWLOG', 'scripts']);
    for (const w of logged.filter((l) => l.level === 'warn')) {
      const { grant } = OPTIONAL_COMMANDS[w.obj.command as keyof typeof OPTIONAL_COMMANDS];
      expect(w.obj.err).toMatch(/^NOPERM/);
      expect(w.msg).toContain(`ACL SETUSER <user> ${grant}`);
      expect(JSON.stringify(w)).not.toContain(PASSWORD);
    }
    expect(logged.find((l) => l.obj.command === 'SLOWLOG')?.msg).toContain(metrics.redisSlowlogLength.name);
    expect(logged.find((l) => l.obj.command === 'scripts')?.msg).toMatch(/transferred whole/);

    // Granted: each is reported again, and said so once.
    await admin.acl('SETUSER', 'limited', '+config|get', '+slowlog', '+latency', '+@scripting');
    const m = await scrape(registry);
    for (const name of LOST) expect(m.get(name)?.length, name).toBeGreaterThan(0);
    expect(commands(logged, 'info').sort()).toEqual(['CONFIG GET', 'LATENCY LATEST', 'SLOWLOG']);
    // Scripts are tried again after a while or on a reconnect.
    const reconnected = new Promise((resolve) => client.once('ready', resolve));
    client.disconnect(true);
    await reconnected;
    await scrape(registry);
    await scrape(registry);
    expect(commands(logged, 'info').sort()).toEqual(['CONFIG GET', 'LATENCY LATEST', 'SLOWLOG', 'scripts']);
    expect(commands(logged, 'warn')).toHaveLength(4);
  });
});

/** The ACL rule docs/EXPORTER.md gives for the exporter's user: only the commands it sends. */
const EXPORTER_RULE = [
  ...['resetkeys', '~*', 'resetchannels', '-@all'],
  ...['+client|setname', '+select', '+info', '+config|get', '+slowlog|len', '+slowlog|get', '+latency|latest'],
  ...['+scan', '+type', '+llen', '+lindex', '+zcard', '+zrange', '+scard', '+hlen'],
  ...['+xlen', '+xrange', '+xinfo|groups', '+xpending', '+script|load', '+evalsha'],
];

describe('a user with exactly the documented ACL rule', () => {
  it('gets every family the default user gets, without a warning', async () => {
    await admin.acl('SETUSER', 'exporter', 'reset', 'on', `>${PASSWORD}`, ...EXPORTER_RULE);
    const full = collector(new Redis({ port: priv.port }));
    const least = collector(new Redis({ port: priv.port, username: 'exporter', password: PASSWORD }));
    const present = (m: Map<string, Values>): string[] => [...m].filter(([, v]) => v.length > 0).map(([name]) => name);
    for (let i = 0; i < 2; i++) {
      const expected = present(await scrape(full.registry));
      const m = await scrape(least.registry);
      expect(m.get(metrics.redisExporterLastScrapeError.name)?.[0]).toMatchObject({ value: 0 });
      expect(present(m)).toEqual(expected);
      expect(m.get(metrics.redisQueueOldestItemAgeSeconds.name)).toHaveLength(2);
    }
    expect(least.logged).toEqual([]);
    // The scripts ran (no fallback to plain commands).
    const stats = await admin.info('commandstats');
    expect(stats).toMatch(/cmdstat_evalsha:calls=[1-9]/);
  });

  it('with read-only key access (%R~) instead, reads through plain commands, warning once about the scripts', async () => {
    const rule = EXPORTER_RULE.map((r) => (r === '~*' ? '%R~*' : r));
    await admin.acl('SETUSER', 'reader', 'reset', 'on', `>${PASSWORD}`, ...rule);
    const full = collector(new Redis({ port: priv.port }));
    const reader = collector(new Redis({ port: priv.port, username: 'reader', password: PASSWORD }));
    const present = (m: Map<string, Values>): string[] => [...m].filter(([, v]) => v.length > 0).map(([name]) => name);
    for (let i = 0; i < 3; i++) {
      const expected = present(await scrape(full.registry));
      const m = await scrape(reader.registry);
      expect(m.get(metrics.redisExporterLastScrapeError.name)?.[0]).toMatchObject({ value: 0 });
      expect(present(m)).toEqual(expected);
      expect(m.get(metrics.redisQueueOldestItemAgeSeconds.name)).toHaveLength(2);
    }
    // Redis checks a script's keys as written, so EVALSHA is refused for its keys (in the heads
    // call and in the stream pipeline alike): one warning, not a scrape error.
    expect(reader.logged).toHaveLength(1);
    expect(reader.logged[0]).toMatchObject({
      level: 'warn',
      obj: { command: 'scripts', err: expect.stringMatching(/^NOPERM/) },
    });
    expect(reader.logged[0]!.msg).toContain('not %R~');
  });
});

describe('a Redis with CONFIG renamed away', () => {
  it('warns once that CONFIG GET is unavailable, with maxmemory and maxclients read from INFO', async () => {
    const { registry, logged } = collector(new Redis({ port: renamed.port }));
    for (let i = 0; i < 2; i++) {
      const m = await scrape(registry);
      expect(m.get(metrics.redisExporterLastScrapeError.name)?.[0]).toMatchObject({ value: 0 });
      expect(m.get(metrics.redisConfigIoThreads.name) ?? []).toEqual([]);
      expect(m.get(metrics.redisConfigMaxclients.name)?.[0]?.value).toBeGreaterThan(0);
      expect(m.get(metrics.redisSlowlogLength.name)).toHaveLength(1);
    }
    const warnings = logged.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.obj).toMatchObject({
      command: 'CONFIG GET',
      err: expect.stringMatching(/^ERR unknown command/),
    });
    expect(warnings[0]!.msg).toMatch(/renamed or disabled/);
  });
});
