// Redis health from the round-1 replies, read from INFO ALL captured from redis-server 7.0.15 (a
// primary with AOF on, a replica, keys with TTL in db0 and db3, an erroring command, a slow log
// and a latency spike) and checked against what redis_exporter 1.45 wrote for the same Redis.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { metrics } from 'voting-mixin/config';
import { HEALTH_COMMANDS, InfoMetrics } from './info.js';
import type { Reply } from './queue-types.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'redis-info/fixtures', name), 'latin1');
const PRIMARY = fixture('info-all-7.0-primary.txt');
const REPLICA = fixture('info-all-7.0-replica.txt');

const ok = (v: unknown): Reply => [null, v];
const refused: Reply = [new Error("ERR unknown command 'CONFIG'"), null];

/** The health replies in pipeline order: INFO ALL, CONFIG GET ×4, SLOWLOG LEN, SLOWLOG GET 1, LATENCY LATEST. */
function replies(info: string, over: Partial<Record<'config' | 'slowlog' | 'latency', Reply[]>> = {}): Reply[] {
  const out = [
    ok(info),
    ...(over.config ?? [
      ok(['maxmemory', '0']),
      ok(['maxclients', '10000']),
      ok(['io-threads', '1']),
      ok(['databases', '16']),
    ]),
    ...(over.slowlog ?? [ok(78), ok([[78, 1796207872, 1, ['config', 'get', 'maxmemory'], '127.0.0.1:1', '']])]),
    ...(over.latency ?? [ok([['command', 1796207872, 55, 55]])]),
  ];
  expect(out).toHaveLength(HEALTH_COMMANDS);
  return out;
}

type Series = { labels: Record<string, string | number>; value: number; metricName?: string };
async function read(registry: Registry): Promise<Map<string, { type: string; values: Series[] }>> {
  const out = new Map<string, { type: string; values: Series[] }>();
  for (const m of await registry.getMetricsAsJSON())
    out.set(m.name, { type: String(m.type), values: m.values as Series[] });
  return out;
}

function setup(): { registry: Registry; info: InfoMetrics } {
  const registry = new Registry();
  return { registry, info: new InfoMetrics(registry, async () => undefined) };
}

const value = (s: Map<string, { values: Series[] }>, name: string, labels: Record<string, string> = {}) =>
  s.get(name)?.values.find((v) => !v.metricName && Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;

describe('InfoMetrics', () => {
  it('writes the plain INFO fields under redis_exporter names, statuses and units converted as it does', async () => {
    const { registry, info } = setup();
    info.apply(replies(PRIMARY));
    const s = await read(registry);
    expect(value(s, metrics.redisMemoryUsedBytes.name)).toBe(Number(/used_memory:(\d+)/.exec(PRIMARY)![1]));
    expect(value(s, metrics.redisNetInputBytesTotal.name)).toBe(
      Number(/total_net_input_bytes:(\d+)/.exec(PRIMARY)![1]),
    );
    expect(value(s, metrics.redisConnectionsReceivedTotal.name)).toBeGreaterThan(0);
    expect(value(s, metrics.redisRdbLastBgsaveStatus.name)).toBe(1); // ok
    expect(value(s, metrics.redisLatestForkSeconds.name)).toBe(0.00064); // 640 µs
    expect(value(s, metrics.redisAofCurrentSizeBytes.name)).toBe(590);
    expect(value(s, metrics.redisCpuSysSecondsTotal.name)).toBeGreaterThan(0);
    // a field Redis 7 does not report: no series
    expect(s.get(metrics.redisAofRewriteBufferLength.name)!.values).toEqual([]);
    // a primary has no replica-side families
    expect(s.get(metrics.redisSlavePriority.name)!.values).toEqual([]);
    expect(s.get(metrics.redisMasterLinkUp.name)!.values).toEqual([]);
    const uptime = Number(/uptime_in_seconds:(\d+)/.exec(PRIMARY)![1]);
    expect(Math.abs(value(s, metrics.redisStartTimeSeconds.name)! - (Date.now() / 1000 - uptime))).toBeLessThan(5);
  });

  it('labels redis_instance_info as redis_exporter does and exposes it as a gauge', async () => {
    const { registry, info } = setup();
    info.apply(replies(PRIMARY));
    const s = await read(registry);
    const instance = s.get(metrics.redisInstanceInfo.name)!;
    expect(instance.type).toBe('gauge');
    expect(instance.values).toEqual([
      {
        value: 1,
        labels: {
          role: 'master',
          redis_version: '7.0.15',
          redis_build_id: 'ae4d7c971a948f0',
          redis_mode: 'standalone',
          os: 'Linux 6.18.44-fc-v1045 x86_64',
          maxmemory_policy: 'noeviction',
          tcp_port: '26401',
          run_id: '29c907f09b45b2d889a091af988af502758adbfc',
          process_id: '9571',
        },
      },
    ]);
  });

  it('reads the keyspace per db, 0 for each empty db up to CONFIG databases, avg TTL only where keys are', async () => {
    const { registry, info } = setup();
    info.apply(replies(PRIMARY));
    const s = await read(registry);
    expect(value(s, metrics.redisDbKeys.name, { db: 'db0' })).toBe(50);
    expect(value(s, metrics.redisDbKeysExpiring.name, { db: 'db3' })).toBe(1);
    expect(value(s, metrics.redisDbAvgTtlSeconds.name, { db: 'db0' })).toBe(1450.593);
    expect(s.get(metrics.redisDbKeys.name)!.values).toHaveLength(16);
    expect(value(s, metrics.redisDbKeys.name, { db: 'db15' })).toBe(0);
    expect(s.get(metrics.redisDbAvgTtlSeconds.name)!.values.map((v) => v.labels.db)).toEqual(['db0', 'db3']);

    // CONFIG refused: Redis's default of 16 databases, as redis_exporter assumes
    info.apply(replies(PRIMARY.replace(/db3:[^\r\n]*\r?\n/, ''), { config: [refused, refused, refused, refused] }));
    const t = await read(registry);
    expect(value(t, metrics.redisDbKeys.name, { db: 'db3' })).toBe(0); // emptied: 0, not a gap
    expect(t.get(metrics.redisDbKeys.name)!.values).toHaveLength(16);
    expect(t.get(metrics.redisDbAvgTtlSeconds.name)!.values.map((v) => v.labels.db)).toEqual(['db0']);
  });

  it('reads commandstats, latencystats and errorstats per command and error prefix', async () => {
    const { registry, info } = setup();
    info.apply(replies(PRIMARY));
    const s = await read(registry);
    expect(value(s, metrics.redisCommandsTotal.name, { cmd: 'set' })).toBe(52);
    expect(value(s, metrics.redisCommandsDurationSecondsTotal.name, { cmd: 'set' })).toBe(0.000385);
    expect(value(s, metrics.redisCommandsRejectedCallsTotal.name, { cmd: 'set' })).toBe(1);
    expect(value(s, metrics.redisCommandsFailedCallsTotal.name, { cmd: 'set' })).toBe(0);
    expect(value(s, metrics.redisCommandsTotal.name, { cmd: 'client|setname' })).toBe(2);
    expect(value(s, metrics.redisErrorsTotal.name, { err: 'ERR' })).toBe(4);
    expect(value(s, metrics.redisErrorsTotal.name, { err: 'WRONGTYPE' })).toBe(1);
    const summary = s.get(metrics.redisLatencyPercentilesUsec.name)!;
    expect(summary.type).toBe('summary');
    // quantiles from latencystats; sum (µs) and count from commandstats, as redis_exporter writes them
    expect(summary.values.filter((v) => v.labels.cmd === 'set')).toEqual([
      { value: 7.007, labels: { cmd: 'set', quantile: '50' } },
      { value: 11.007, labels: { cmd: 'set', quantile: '99' } },
      { value: 12.031, labels: { cmd: 'set', quantile: '99.9' } },
      { value: 385, labels: { cmd: 'set' }, metricName: 'redis_latency_percentiles_usec_sum' },
      { value: 52, labels: { cmd: 'set' }, metricName: 'redis_latency_percentiles_usec_count' },
    ]);
  });

  it('drops the series of a command that left commandstats (CONFIG RESETSTAT)', async () => {
    const { registry, info } = setup();
    info.apply(replies(PRIMARY));
    const reset = PRIMARY.replace(/cmdstat_set:[^\r\n]*\r?\n/, '').replace(/errorstat_[^\r\n]*\r?\n/g, '');
    info.apply(replies(reset));
    const s = await read(registry);
    expect(value(s, metrics.redisCommandsTotal.name, { cmd: 'set' })).toBeUndefined();
    expect(value(s, metrics.redisCommandsTotal.name, { cmd: 'get' })).toBe(1);
    expect(s.get(metrics.redisLatencyPercentilesUsec.name)!.values.some((v) => v.labels.cmd === 'set')).toBe(false);
    expect(s.get(metrics.redisErrorsTotal.name)!.values).toEqual([]);
  });

  it('reads each connected replica on a primary, the link to the primary on a replica', async () => {
    const primary = setup();
    primary.info.apply(replies(PRIMARY));
    const p = await read(primary.registry);
    const slave = { slave_ip: '127.0.0.1', slave_port: '26402', slave_state: 'online' };
    expect(value(p, metrics.redisConnectedSlaveOffsetBytes.name, slave)).toBe(1925);
    expect(value(p, metrics.redisConnectedSlaveLagSeconds.name, slave)).toBe(0);
    expect(p.get(metrics.redisSlaveInfo.name)!.values).toEqual([]);

    const replica = setup();
    replica.info.apply(replies(REPLICA));
    const r = await read(replica.registry);
    const master = { master_host: '127.0.0.1', master_port: '26401' };
    expect(value(r, metrics.redisMasterLinkUp.name, master)).toBe(1);
    expect(value(r, metrics.redisMasterSyncInProgress.name, master)).toBe(0);
    expect(value(r, metrics.redisSlaveReplOffset.name, master)).toBe(
      Number(/slave_repl_offset:(\d+)/.exec(REPLICA)![1]),
    );
    expect(value(r, metrics.redisMasterLastIoSecondsAgo.name, master)).toBeGreaterThanOrEqual(0);
    expect(value(r, metrics.redisSlaveInfo.name, { ...master, read_only: '1' })).toBe(1);
    expect(value(r, metrics.redisSlavePriority.name)).toBe(100);
    expect(r.get(metrics.redisConnectedSlaveOffsetBytes.name)!.values).toEqual([]);

    const down = setup();
    down.info.apply(replies(REPLICA.replace('master_link_status:up', 'master_link_status:down')));
    expect(value(await read(down.registry), metrics.redisMasterLinkUp.name, master)).toBe(0);
  });

  it('reads CONFIG GET, the slow log and LATENCY LATEST; a refused command leaves its families out', async () => {
    const { registry, info } = setup();
    info.apply(replies(PRIMARY));
    const s = await read(registry);
    expect(value(s, metrics.redisConfigMaxclients.name)).toBe(10000);
    expect(value(s, metrics.redisConfigIoThreads.name)).toBe(1);
    expect(value(s, metrics.redisSlowlogLength.name)).toBe(78);
    expect(value(s, metrics.redisSlowlogLastId.name)).toBe(78);
    expect(value(s, metrics.redisLastSlowExecutionDurationSeconds.name)).toBe(0.000001);
    expect(value(s, metrics.redisLatencySpikeLast.name, { event_name: 'command' })).toBe(1796207872);
    expect(value(s, metrics.redisLatencySpikeDurationSeconds.name, { event_name: 'command' })).toBe(0.055);

    const noPerms = [new Error('NOPERM'), null] as Reply;
    info.apply(
      replies(PRIMARY, {
        config: [refused, refused, refused, refused],
        slowlog: [noPerms, noPerms],
        latency: [ok([])],
      }),
    );
    const t = await read(registry);
    // maxclients and maxmemory from INFO when CONFIG is refused; io-threads has no INFO field
    expect(value(t, metrics.redisConfigMaxclients.name)).toBe(10000);
    expect(value(t, metrics.redisConfigMaxmemory.name)).toBe(0);
    expect(t.get(metrics.redisConfigIoThreads.name)!.values).toEqual([]);
    expect(t.get(metrics.redisSlowlogLength.name)!.values).toEqual([]);
    expect(t.get(metrics.redisLatencySpikeLast.name)!.values).toEqual([]);

    // an empty slow log: id and duration 0, as redis_exporter writes them
    info.apply(replies(PRIMARY, { slowlog: [ok(0), ok([])] }));
    const u = await read(registry);
    expect(value(u, metrics.redisSlowlogLastId.name)).toBe(0);
    expect(value(u, metrics.redisLastSlowExecutionDurationSeconds.name)).toBe(0);
  });

  it('throws the INFO error and, cleared, leaves no health series at all', async () => {
    const { registry, info } = setup();
    info.apply(replies(PRIMARY));
    expect(() => info.apply([[new Error('NOAUTH Authentication required.'), null]])).toThrow(/NOAUTH/);
    info.clear();
    const s = await read(registry);
    for (const [name, m] of s) expect(m.values, name).toEqual([]);
    expect(s.size).toBeGreaterThan(130);
  });

  it('reads INFO with LF line ends and the RESP3 txt: prefix alike', async () => {
    const a = setup();
    a.info.apply(replies(PRIMARY));
    const b = setup();
    b.info.apply(replies(`txt:${PRIMARY.replaceAll('\r\n', '\n')}`));
    const [x, y] = await Promise.all([read(a.registry), read(b.registry)]);
    const strip = (s: typeof x) =>
      [...s].filter(([n]) => n !== metrics.redisStartTimeSeconds.name).map(([n, m]) => [n, m.values]);
    expect(strip(y)).toEqual(strip(x));
  });
});
