/**
 * The whole stack on this machine, no Docker: a private Redis, a PostgreSQL database of its own,
 * two vote instances, a worker (reaching PostgreSQL through a proxy we can cut), the result
 * service, the queue exporter, postgres_exporter, Prometheus and Alertmanager running the files
 * `voting-mixin build` generated for this topology, and an in-process webhook receiver. Shared by
 * `npm run demo` and the end-to-end tests.
 *
 * The result service and postgres_exporter reach PostgreSQL directly, not through the worker's
 * proxy: the PostgreSQL-cut scenario cuts one client's connection (the worker's), not the server,
 * so during it the result page stays ready and shows the tallies stored so far (they stop moving),
 * and pg_up stays 1 — only WorkerStalled is expected, no PostgreSQL alert.
 *
 * Every child runs in its own process group; `stop()` ends them all, drops the database and
 * removes the temporary folder.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import {
  type Notification,
  startWebhookReceiver,
  type WebhookReceiver,
} from '@voting-mixin/reference-app/alert-receiver';
import { stringify } from 'yaml';
import { parseConfigText } from '../../../config/config-file.js';
import { metrics } from '../../../config/metrics.js';
import { type ConfigOverrides, deepMerge, type MixinConfig } from '../../../config/mixin-config.js';
import {
  createDatabase,
  existingDatabase,
  freePorts,
  ManagedProcess,
  type ProcessSpec,
  redisServerArgs,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
  waitFor,
  waitForHttp,
  waitForRedis,
} from '../../../test/support/index.js';
import { buildCommand } from '../../commands/build.js';
import { repoRoot } from '../repo-root.js';

const execFileAsync = promisify(execFile);

export interface StackOptions {
  /** Config overrides on top of the stack's (targets, receiver and intervals are set by the stack). */
  overrides?: ConfigOverrides;
  /** Scrape and evaluation interval (default 1s). */
  interval?: '1s' | '2s' | '3s' | '5s';
  /** Use this database instead of creating one (it is then never dropped). */
  databaseUrl?: string;
  /** PostgreSQL server to create the stack's database on. */
  postgresUrl?: string;
  /** Keep the temporary folder (logs, generated files) after stop(). */
  keep?: boolean;
  log?: (line: string) => void;
  onNotification?: (n: Notification) => void;
  /** Called when a child exits without being asked to. */
  onCrash?: (name: string, code: number | null, lastLines: string) => void;
}

export type ServiceName =
  | 'redis'
  | 'vote-1'
  | 'vote-2'
  | 'worker'
  | 'result'
  | 'exporter'
  | 'postgres-exporter'
  | 'prometheus'
  | 'alertmanager';

export { repoRoot } from '../repo-root.js';

/**
 * Alertmanager's timing for every severity in the stack: a notification leaves within seconds.
 * The e2e budgets (faults.ts) read it back from the config; tests that need it before a stack
 * exists import it from here.
 */
export const STACK_ROUTE_TIMING = { groupWait: '1s', groupInterval: '2s', repeatInterval: '1h' } as const;

export class Stack {
  readonly procs = new Map<ServiceName, ManagedProcess>();
  private constructor(
    readonly dir: string,
    readonly root: string,
    readonly cfg: MixinConfig,
    readonly configFile: string,
    readonly ports: Record<ServiceName | 'webhook', number>,
    readonly db: TestDatabase,
    readonly pgProxy: TcpProxy,
    readonly webhook: WebhookReceiver,
    private readonly opts: StackOptions,
  ) {}

  get dist(): string {
    return join(this.dir, 'dist');
  }
  get urls() {
    const u = (p: number) => `http://127.0.0.1:${p}`;
    return {
      vote: [u(this.ports['vote-1']), u(this.ports['vote-2'])],
      worker: u(this.ports.worker),
      result: u(this.ports.result),
      exporter: u(this.ports.exporter),
      postgresExporter: u(this.ports['postgres-exporter']),
      prometheus: u(this.ports.prometheus),
      alertmanager: u(this.ports.alertmanager),
      webhook: this.webhook.url,
      runbooks: this.cfg.runbookBaseUrl,
      redis: `redis://127.0.0.1:${this.ports.redis}`,
    };
  }
  proc(name: ServiceName): ManagedProcess {
    const p = this.procs.get(name);
    if (!p) throw new Error(`no process ${name}`);
    return p;
  }
  /** Every child process id (the group leaders), for "nothing left behind" checks. */
  pids(): number[] {
    return [...this.procs.values()].flatMap((p) => (p.pid === undefined ? [] : [p.pid]));
  }

  static async start(opts: StackOptions = {}): Promise<Stack> {
    const log = opts.log ?? (() => {});
    const root = repoRoot();
    const dir = await mkdtemp(join(tmpdir(), 'voting-stack-'));
    const names = [
      'redis',
      'vote-1',
      'vote-2',
      'worker',
      'result',
      'exporter',
      'postgres-exporter',
      'prometheus',
      'alertmanager',
      'webhook',
    ] as const;
    const free = await freePorts(names.length);
    const ports = Object.fromEntries(names.map((n, i) => [n, free[i]!])) as Record<ServiceName | 'webhook', number>;
    const interval = opts.interval ?? '1s';
    const host = (p: number) => `127.0.0.1:${p}`;
    const timing = STACK_ROUTE_TIMING;
    const base: ConfigOverrides = {
      prometheus: {
        scrapeInterval: interval,
        evaluationInterval: interval,
        targets: {
          vote: [host(ports['vote-1']), host(ports['vote-2'])],
          result: [host(ports.result)],
          postgres: [host(ports['postgres-exporter'])],
          // cadvisor: none outside Compose (no containers here), so no scrape job.
          worker: [host(ports.worker)],
          exporter: [host(ports.exporter)],
          prometheus: [host(ports.prometheus)],
          alertmanager: [host(ports.alertmanager)],
        },
      },
      // The in-process receiver takes the notifications and serves the runbooks the alerts link to.
      runbookBaseUrl: `http://127.0.0.1:${ports.webhook}/runbooks/`,
      alertmanager: {
        receivers: { webhook: { url: `http://127.0.0.1:${ports.webhook}/alerts` } },
        timing: { critical: timing, warning: timing, info: timing },
      },
    };
    const overrides = deepMerge(base, opts.overrides ?? {});
    const configFile = join(dir, 'voting-mixin.config.yaml');
    const configText = stringify(overrides);
    await writeFile(configFile, configText);
    const cfg = parseConfigText(configText, configFile);

    log(`stack: building dist/ for this topology in ${dir}`);
    const err = new PassThrough();
    let buildErr = '';
    err.on('data', (c: Buffer) => (buildErr += c));
    const code = await buildCommand.run(['--config', configFile, '--out', join(dir, 'dist'), '--quiet'], {
      stdout: new PassThrough(),
      stderr: err,
      cwd: root,
      env: process.env,
    });
    if (code !== 0) throw new Error(`voting-mixin build failed (exit ${code}):\n${buildErr}`);
    for (const f of ['prometheus/prometheus.yml', 'alertmanager/alertmanager.yml']) {
      if (!existsSync(join(dir, 'dist', f)))
        throw new Error(`voting-mixin build did not write dist/${f}; the stack needs it`);
    }

    const db = opts.databaseUrl
      ? existingDatabase(opts.databaseUrl)
      : await createDatabase({ prefix: 'voting_stack', serverUrl: opts.postgresUrl });
    const pgProxy = await startTcpProxy({ host: db.host, port: db.port });
    const webhook = await startWebhookReceiver({
      port: ports.webhook,
      onNotification: opts.onNotification,
      runbooksDir: join(dir, 'dist', 'runbooks'),
    });
    const stack = new Stack(dir, root, cfg, configFile, ports, db, pgProxy, webhook, opts);
    try {
      await stack.launch();
    } catch (e) {
      await stack.stop();
      throw e;
    }
    return stack;
  }

  private specs(): Record<ServiceName, ProcessSpec> {
    const node = process.execPath;
    const { ports, dir } = this;
    const redisUrl = this.urls.redis;
    const queue = this.cfg.queues[0]!.key;
    const viaProxy = new URL(this.db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(this.pgProxy.port);
    const app = { LOG_LEVEL: 'info' };
    const vote = (name: 'vote-1' | 'vote-2'): ProcessSpec => ({
      name,
      command: node,
      args: [
        join(this.root, 'reference-app/build/vote/main.js'),
        '--port',
        String(ports[name]),
        '--host',
        '127.0.0.1',
        '--redis-url',
        redisUrl,
        '--database-url',
        this.db.url,
        '--queue',
        queue,
        '--options',
        'cats,dogs',
        '--enable-admin',
        // Both instances sign voter cookies with one secret: a voter keeps its id whichever answers.
        '--cookie-secret-file',
        join(dir, 'cookie-secret'),
      ],
      env: app,
    });
    return {
      redis: {
        name: 'redis',
        command: 'redis-server',
        // appendonly: a restart in the Redis-down scenario keeps the queue, as production would.
        // maxmemory as in docker-compose.yml, so the memory-vs-limit panels and alerts have data.
        args: redisServerArgs(ports.redis, {
          appendonlyDir: join(dir, 'redis'),
          args: ['--maxmemory', '256mb', '--maxmemory-policy', 'noeviction'],
        }),
      },
      'vote-1': vote('vote-1'),
      'vote-2': vote('vote-2'),
      worker: {
        name: 'worker',
        command: node,
        args: [
          join(this.root, 'reference-app/build/worker/main.js'),
          '--port',
          String(ports.worker),
          '--host',
          '127.0.0.1',
          '--redis-url',
          redisUrl,
          '--database-url',
          viaProxy.toString(),
          '--queue',
          queue,
          '--worker-id',
          'w1',
          '--enable-admin',
        ],
        env: app,
      },
      result: {
        name: 'result',
        command: node,
        args: [
          join(this.root, 'reference-app/build/result/main.js'),
          '--port',
          String(ports.result),
          '--host',
          '127.0.0.1',
          // Straight to PostgreSQL, not through the worker's proxy (see the header).
          '--database-url',
          this.db.url,
          '--options',
          'cats,dogs',
        ],
        env: app,
      },
      'postgres-exporter': {
        name: 'postgres-exporter',
        command: 'prometheus-postgres-exporter',
        args: [`--web.listen-address=127.0.0.1:${ports['postgres-exporter']}`, '--log.level=warn'],
        env: this.postgresExporterEnv(),
      },
      exporter: {
        name: 'exporter',
        command: node,
        args: [
          '--optimize-for-size',
          join(this.root, 'exporters/redis-queue/build/redis-queue-exporter.js'),
          '--listen',
          `127.0.0.1:${ports.exporter}`,
          '--redis-url',
          redisUrl,
          '--config',
          this.configFile,
        ],
        env: app,
      },
      prometheus: {
        name: 'prometheus',
        command: 'prometheus',
        args: [
          `--config.file=${join(this.dist, 'prometheus/prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
          `--web.listen-address=127.0.0.1:${ports.prometheus}`,
          '--web.enable-lifecycle',
        ],
      },
      alertmanager: {
        name: 'alertmanager',
        command: 'prometheus-alertmanager',
        args: [
          `--config.file=${join(this.dist, 'alertmanager/alertmanager.yml')}`,
          `--storage.path=${join(dir, 'alertmanager-data')}`,
          `--web.listen-address=127.0.0.1:${ports.alertmanager}`,
          '--cluster.listen-address=',
        ],
      },
    };
  }

  /** Where the stack keeps the database password for postgres_exporter, when the URL has one. */
  private get pgPasswordFile(): string {
    return join(this.dir, 'postgres-password');
  }

  /**
   * postgres_exporter's connection, by environment only (never argv, where `ps` shows it to every
   * user): the server, database and options as DATA_SOURCE_URI, the user as DATA_SOURCE_USER and
   * a password, if the URL has one, as DATA_SOURCE_PASS_FILE (a 0600 file in the stack's folder,
   * written by launch()). The other DATA_SOURCE_* are emptied so one inherited from the caller's
   * shell cannot point it at another database (DATA_SOURCE_NAME and the _FILE forms win).
   */
  private postgresExporterEnv(): NodeJS.ProcessEnv {
    const u = new URL(this.db.url);
    const params = new URLSearchParams(u.search);
    // lib/pq's default is sslmode=require; the local server (trust auth on 127.0.0.1) has no TLS.
    if (!params.has('sslmode')) params.set('sslmode', 'disable');
    const env: NodeJS.ProcessEnv = {
      DATA_SOURCE_NAME: '',
      DATA_SOURCE_URI_FILE: '',
      DATA_SOURCE_USER_FILE: '',
      DATA_SOURCE_URI: `${u.host}${u.pathname}?${params}`,
      DATA_SOURCE_USER: decodeURIComponent(u.username || 'postgres'),
      DATA_SOURCE_PASS: '',
    };
    if (u.password) env.DATA_SOURCE_PASS_FILE = this.pgPasswordFile;
    return env;
  }

  private add(spec: ProcessSpec): ManagedProcess {
    const p = new ManagedProcess(spec, this.dir);
    p.onUnexpectedExit = (proc, code) => this.opts.onCrash?.(proc.name, code, proc.lastLines(10));
    this.procs.set(spec.name as ServiceName, p);
    return p.start();
  }

  /** Starts (or restarts) one service and waits until it answers. */
  async startService(name: ServiceName): Promise<void> {
    const existing = this.procs.get(name);
    const p = existing ? existing.start() : this.add(this.specs()[name]);
    try {
      await this.ready(name);
    } catch (e) {
      throw new Error(
        `${name} did not become ready: ${(e as Error).message}\n--- last output of ${name} ---\n${p.lastLines()}`,
      );
    }
  }

  private async ready(name: ServiceName): Promise<void> {
    const u = this.urls;
    switch (name) {
      case 'redis':
        return void (await waitForRedis(this.ports.redis, 15_000));
      case 'vote-1':
        return void (await waitForHttp(`${u.vote[0]}/ready`, 20_000));
      case 'vote-2':
        return void (await waitForHttp(`${u.vote[1]}/ready`, 20_000));
      case 'worker':
        return void (await waitForHttp(`${u.worker}/health`, 20_000));
      case 'result':
        return void (await waitForHttp(`${u.result}/ready`, 20_000));
      case 'exporter':
        return void (await waitForHttp(`${u.exporter}/metrics`, 20_000));
      case 'postgres-exporter':
        // /metrics answers 200 with pg_up 0 too: ready is when it reached the database.
        return void (await waitFor(
          `${u.postgresExporter}/metrics to report ${metrics.pgUp.name} 1`,
          async () =>
            new RegExp(`^${metrics.pgUp.name} 1$`, 'm').test(
              await (await fetch(`${u.postgresExporter}/metrics`)).text(),
            ),
          20_000,
          250,
        ));
      case 'prometheus':
        return void (await waitForHttp(`${u.prometheus}/-/ready`, 30_000));
      case 'alertmanager':
        return void (await waitForHttp(`${u.alertmanager}/-/ready`, 30_000));
    }
  }

  private async launch(): Promise<void> {
    const log = this.opts.log ?? (() => {});
    await mkdir(join(this.dir, 'redis'), { recursive: true });
    await writeFile(join(this.dir, 'cookie-secret'), `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    const pgPassword = new URL(this.db.url).password;
    if (pgPassword) await writeFile(this.pgPasswordFile, decodeURIComponent(pgPassword), { mode: 0o600 });
    await this.startService('redis');
    log(`stack: redis on ${this.urls.redis}`);
    await this.createStreams();
    await Promise.all(
      (['vote-1', 'vote-2', 'worker', 'result', 'exporter', 'postgres-exporter', 'alertmanager'] as const).map((n) =>
        this.startService(n),
      ),
    );
    await this.startService('prometheus');
    log('stack: every process answers; waiting for Prometheus to see all targets up');
    await this.waitForTargetsUp();
  }

  /** Stream queues of the config get a consumer group with some delivered and undelivered entries. */
  private async createStreams(): Promise<void> {
    const cli = (...args: string[]) => execFileAsync('redis-cli', ['-p', String(this.ports.redis), ...args]);
    for (const q of this.cfg.queues.filter((x) => x.type === 'stream' && !/[*?[]/.test(x.key))) {
      await cli('XGROUP', 'CREATE', q.key, 'stack', '$', 'MKSTREAM');
      for (let i = 0; i < 3; i++) await cli('XADD', q.key, '*', 'event', `started-${i}`);
      await cli('XREADGROUP', 'GROUP', 'stack', 'c1', 'COUNT', '1', 'STREAMS', q.key, '>');
    }
  }

  /** Resolves once every scrape target of the generated config is up. */
  async waitForTargetsUp(timeoutMs = 30_000): Promise<void> {
    const expected = Object.values(this.cfg.prometheus.targets).flat().length;
    await waitFor(
      `all ${expected} scrape targets up`,
      async () => {
        const res = await fetch(`${this.urls.prometheus}/api/v1/targets?state=active`);
        const body = (await res.json()) as { data: { activeTargets: Array<{ health: string }> } };
        const up = body.data.activeTargets.filter((t) => t.health === 'up').length;
        return up >= expected && body.data.activeTargets.length >= expected;
      },
      timeoutMs,
      500,
    );
  }

  /** Runs an instant query; returns the samples' values with their labels. */
  async query(expr: string): Promise<Array<{ labels: Record<string, string>; value: number }>> {
    const res = await fetch(`${this.urls.prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
    return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }

  /** POST/DELETE to a service's /admin/faults. */
  async faults(url: string, body: Record<string, number | boolean> | null): Promise<void> {
    const res = await fetch(
      `${url}/admin/faults`,
      body === null
        ? { method: 'DELETE' }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    if (!res.ok) throw new Error(`${url}/admin/faults answered ${res.status}: ${await res.text()}`);
  }

  async stop(): Promise<void> {
    // Prometheus first, so it does not record the rest going down as an outage mid-shutdown.
    const order: ServiceName[] = [
      'prometheus',
      'alertmanager',
      'vote-1',
      'vote-2',
      'worker',
      'result',
      'exporter',
      'postgres-exporter',
      'redis',
    ];
    for (const name of order)
      await this.procs
        .get(name)
        ?.close()
        .catch(() => {});
    await this.webhook.close().catch(() => {});
    await this.pgProxy.close().catch(() => {});
    await this.db.drop().catch((e: Error) => this.opts.log?.(`stack: could not drop the database: ${e.message}`));
    if (!this.opts.keep) await rm(this.dir, { recursive: true, force: true });
  }
}
