/**
 * The compatibility stack: a private Redis primary and its replica, our exporter and redis_exporter
 * 1.45 for each, and two private Prometheus servers scraping every second, one only ours and one
 * only redis_exporter. Both give the targets the same `job` and `instance` labels (the Redis
 * address), so every dashboard query and every variable runs unmodified against each, as it would
 * for a user who swapped one exporter for the other. Everything lives in one temp folder and one
 * process group per process; close() leaves nothing behind.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import {
  freePorts,
  isAlive,
  ManagedProcess,
  type PrivateRedis,
  startPrivatePrometheus,
  startPrivateRedis,
  waitFor,
  waitForHttp,
} from '../support/index.js';
import { PromApi } from './prom-api.js';
import { seedRedis, startTraffic, type Traffic } from './traffic.js';

/** Our exporter as users run it; `npm test` compiles it before vitest runs. */
export const OUR_MAIN = resolve(import.meta.dirname, '../../exporters/redis-queue/build/redis-queue-exporter.js');

export const SCRAPE_MS = 1000;
export const JOB = 'redis';

export type Side = 'ours' | 'theirs';
export type Role = 'primary' | 'replica';

export interface CompatStack {
  dir: string;
  /** The `instance` label of each Redis (its address), the same in both Prometheus servers. */
  instance: Record<Role, string>;
  /** /metrics URL of each exporter. */
  metricsUrl: Record<Side, Record<Role, string>>;
  prom: Record<Side, PromApi>;
  traffic: Traffic;
  pids(): number[];
  close(): Promise<void>;
}

function prometheusYml(targets: Array<{ exporter: string; instance: string }>): string {
  const statics = targets
    .map((t) => `      - targets: ['${t.exporter}']\n        labels: { instance: '${t.instance}' }`)
    .join('\n');
  return `global:\n  scrape_interval: ${SCRAPE_MS / 1000}s\n  scrape_timeout: ${SCRAPE_MS / 1000}s\nscrape_configs:\n  - job_name: ${JOB}\n    static_configs:\n${statics}\n`;
}

async function waitForReplica(port: number): Promise<void> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    await waitFor(
      'the replica to finish its sync',
      async () => /master_link_status:up/.test(await r.info('replication')),
      20_000,
      100,
    );
  } finally {
    r.disconnect();
  }
}

export async function startCompatStack(log: (line: string) => void): Promise<CompatStack> {
  const dir = mkdtempSync(join(tmpdir(), 'compat-'));
  const procs: ManagedProcess[] = [];
  const redises: PrivateRedis[] = [];
  let traffic: Traffic | undefined;
  const close = async (): Promise<void> => {
    await traffic?.stop();
    // close() stops the process and ends its log once its output is drained.
    await Promise.all(procs.map((p) => p.close()));
    for (const r of redises.reverse()) await r.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const redisDir = join(dir, 'redis');
    mkdirSync(redisDir);
    // The primary persists with AOF, as many production Redis do (INFO then has the aof_* size
    // fields redis_exporter turns into families); --dir keeps every file in the test's folder,
    // including the RDB the replica writes when it syncs.
    const primary = await startPrivateRedis({ appendonlyDir: redisDir, args: ['--maxmemory', '128mb'] });
    redises.push(primary);
    const replica = await startPrivateRedis({
      args: ['--dir', redisDir, '--replicaof', '127.0.0.1', String(primary.port)],
    });
    redises.push(replica);
    await seedRedis(primary.port);
    await waitForReplica(replica.port);
    traffic = startTraffic(primary.port);
    log(`redis primary :${primary.port}, replica :${replica.port}; seeded, traffic running`);

    const [oursP, oursR, theirsP, theirsR, promOurs, promTheirs] = await freePorts(6);
    const url: Record<Role, string> = { primary: primary.url, replica: replica.url };
    const exporterPort: Record<Side, Record<Role, number>> = {
      ours: { primary: oursP!, replica: oursR! },
      theirs: { primary: theirsP!, replica: theirsR! },
    };
    const metricsUrl = {} as Record<Side, Record<Role, string>>;
    const exporters: Array<{ proc: ManagedProcess; url: string }> = [];
    for (const side of ['ours', 'theirs'] as const) {
      metricsUrl[side] = {} as Record<Role, string>;
      for (const role of ['primary', 'replica'] as const) {
        const listen = `127.0.0.1:${exporterPort[side][role]}`;
        const spec =
          side === 'ours'
            ? // An empty working directory: no voting-mixin.config.* there, so the built-in queues.
              { command: process.execPath, args: [OUR_MAIN, '--listen', listen, '--redis-url', url[role]] }
            : { command: 'prometheus-redis-exporter', args: ['-redis.addr', url[role], '-web.listen-address', listen] };
        const proc = new ManagedProcess({ name: `${side}-${role}`, cwd: dir, ...spec }, dir).start();
        procs.push(proc);
        metricsUrl[side][role] = `http://${listen}/metrics`;
        exporters.push({ proc, url: metricsUrl[side][role] });
      }
    }
    await Promise.all(
      exporters.map(({ proc, url: u }) =>
        waitForHttp(u, 20_000).catch((e: Error) => {
          throw new Error(`${proc.name} did not serve ${u}: ${e.message}\n${proc.lastLines()}`);
        }),
      ),
    );
    log('four exporters up');

    const instance: Record<Role, string> = {
      primary: `127.0.0.1:${primary.port}`,
      replica: `127.0.0.1:${replica.port}`,
    };
    const promPort: Record<Side, number> = { ours: promOurs!, theirs: promTheirs! };
    const prom = {} as Record<Side, PromApi>;
    await Promise.all(
      (['ours', 'theirs'] as const).map(async (side) => {
        const pdir = join(dir, `prometheus-${side}`);
        mkdirSync(pdir);
        writeFileSync(
          join(pdir, 'prometheus.yml'),
          prometheusYml(
            (['primary', 'replica'] as const).map((role) => ({
              exporter: `127.0.0.1:${exporterPort[side][role]}`,
              instance: instance[role],
            })),
          ),
        );
        procs.push(await startPrivatePrometheus(pdir, promPort[side]));
        prom[side] = new PromApi(`http://127.0.0.1:${promPort[side]}`);
      }),
    );
    log('two Prometheus servers up');
    const t = traffic;
    return {
      dir,
      instance,
      metricsUrl,
      prom,
      traffic: t,
      pids: () =>
        [...procs.map((p) => p.pid), ...redises.map((r) => r.pid())].filter((p): p is number => p !== undefined),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Resolves once both Prometheus servers hold `min` scrapes of every target, all up: enough for
 * irate/rate over $__rate_interval (4 scrapes) before a dashboard's queries run.
 */
export async function waitForSamples(stack: CompatStack, min: number): Promise<void> {
  await waitFor(
    `${min} scrapes of every target in both Prometheus servers`,
    async () => {
      for (const side of ['ours', 'theirs'] as const) {
        const o = await stack.prom[side].instant('count_over_time(up[1m])', Date.now() / 1000);
        if (!o.ok || o.series.length !== 2) return false;
        if (o.series.some((s) => Number(s.values[0]?.[1]) < min)) return false;
        const up = await stack.prom[side].instant('min(up)', Date.now() / 1000);
        if (!up.ok || Number(up.series[0]?.values[0]?.[1]) !== 1) return false;
      }
      return true;
    },
    40_000,
    250,
  );
}

/** Closes the stack and says what it left behind (a process still running, its folder): [] when nothing. */
export async function closeAndCheck(stack: CompatStack | undefined, pids: readonly number[]): Promise<string[]> {
  if (!stack) return [];
  await stack.close();
  return [
    ...pids.filter((pid) => isAlive(pid)).map((pid) => `pid ${pid} left running`),
    ...(existsSync(stack.dir) ? [`${stack.dir} left behind`] : []),
  ];
}
