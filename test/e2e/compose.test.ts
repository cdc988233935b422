// docker-compose.yml cannot run here (no Docker engine): it is parsed, checked against the
// compose-spec schema (and by `docker-compose config -q` when the Debian package is installed),
// and every service, port and mounted file it references is checked against the repo and a
// build made with deploy/compose/voting-mixin.config.yaml.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { startWebhookReceiver } from '@voting-mixin/reference-app/alert-receiver';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { metrics } from '../../config/metrics.js';
import { defaultConfig } from '../../config/mixin-config.js';
import { buildCommand } from '../../scripts/commands/build.js';

const root = resolve(import.meta.dirname, '../..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  privileged?: boolean;
  devices?: string[];
  networks?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
  depends_on?: Record<string, unknown>;
}
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, Service>;
  networks: Record<string, unknown>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

/** The port each service listens on inside the network (what Prometheus and friends dial). */
function listenPorts(name: string, s: Service): number[] {
  const ports = new Set<number>();
  for (const p of s.ports ?? []) ports.add(Number(p.split(':').pop()));
  for (const p of s.expose ?? []) ports.add(Number(p));
  if (s.environment?.PORT) ports.add(Number(s.environment.PORT));
  if (s.environment?.LISTEN_ADDRESS) ports.add(Number(s.environment.LISTEN_ADDRESS.split(':').pop()));
  const l = (s.command ?? []).find((c) => /^--web\.listen-address=/.test(c));
  if (l) ports.add(Number(l.split(':').pop()));
  if (name === 'redis') ports.add(6379);
  if (name === 'postgres') ports.add(5432);
  return [...ports];
}

/** Entry points scripts/dev/bundle.mjs writes: its target name and the source of the bundle's entry. */
const BUNDLES: Record<string, { target: string; source: string }> = {
  'exporters/redis-queue/build/redis-queue-exporter.js': {
    target: 'exporter',
    source: 'exporters/redis-queue/main.ts',
  },
};

/** `service:port` → true when the compose stack has that service listening on that port. */
function resolvable(hostPort: string): boolean {
  const [host, port] = hostPort.split(':');
  const s = host ? services[host] : undefined;
  return s !== undefined && listenPorts(host!, s).includes(Number(port));
}

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'compose-dist-'));
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (c: Buffer) => (stderr += c));
  const code = await buildCommand.run(
    ['--config', 'deploy/compose/voting-mixin.config.yaml', '--out', out, '--quiet'],
    { stdout: new PassThrough(), stderr: err, cwd: root, env: {} },
  );
  if (code !== 0) throw new Error(`build with the compose config failed (${code}): ${stderr}`);
});
afterAll(() => rm(out, { recursive: true, force: true }));

/** Host path of a bind mount; ./dist/compose/... is the build made above. */
function hostPath(src: string): string {
  return src.startsWith('./dist/compose') ? join(out, src.slice('./dist/compose'.length)) : join(root, src);
}

describe('docker-compose.yml', () => {
  it('is valid against the compose-spec JSON schema', () => {
    const raw = JSON.parse(readFileSync(join(root, 'deploy/compose/compose-spec.schema.json'), 'utf8')) as unknown;
    // The schema's `$schema`/`id` keywords are draft-2019/draft-04 style; ajv only needs the rules.
    const strip = (o: unknown): unknown =>
      Array.isArray(o)
        ? o.map(strip)
        : o && typeof o === 'object'
          ? Object.fromEntries(
              Object.entries(o)
                .filter(([k]) => k !== '$schema' && k !== 'id')
                .map(([k, v]) => [k, strip(v)]),
            )
          : o;
    const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(strip(raw) as object);
    expect(validate(parse(composeText, { merge: true })), JSON.stringify(validate.errors)).toBe(true);
    // The schema is not a rubber stamp: a misspelt key is rejected.
    expect(validate({ services: { x: { imagee: 'redis' } } })).toBe(false);
  });

  // scripts/ensure-tools.sh installs Debian's docker-compose before `npm test`; run directly
  // with vitest on a machine without it, this one case is skipped (and says so in the summary).
  const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasCompose)(
    'passes `docker-compose config -q` and requires the Grafana admin password from the environment',
    () => {
      const env = { ...process.env, GRAFANA_ADMIN_PASSWORD: 'x', POSTGRES_PASSWORD: 'y', VOTE_COOKIE_SECRET: 'z' };
      expect(
        spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: root, env, encoding: 'utf8' })
          .status,
      ).toBe(0);
      const { GRAFANA_ADMIN_PASSWORD: _g, ...noPassword } = env;
      const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
        cwd: root,
        env: noPassword,
        encoding: 'utf8',
      });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('set GRAFANA_ADMIN_PASSWORD');
    },
  );

  it('never sets the Grafana admin password in the file', () => {
    expect(services.grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe(
      '${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD}',
    );
    expect(composeText).not.toMatch(/admin\/admin|PASSWORD:\s*admin\b/);
  });

  it('has the whole topology on one network, with restart policies and healthchecks', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'alert-receiver',
        'alertmanager',
        'cadvisor',
        'grafana',
        'loki',
        'postgres',
        'postgres-exporter',
        'prometheus',
        'promtail',
        'redis',
        'redis-queue-exporter',
        'result',
        'vote-1',
        'vote-2',
        'worker',
      ].sort(),
    );
    expect(Object.keys(compose.networks)).toEqual(['voting']);
    for (const [name, s] of Object.entries(services)) {
      expect(s.networks, name).toEqual(['voting']);
      expect(s.restart, name).toBe('unless-stopped');
      expect(s.healthcheck?.test, `${name} healthcheck`).toBeDefined();
      for (const dep of Object.keys(s.depends_on ?? {}))
        expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
    }
  });

  it('probes Promtail with bash on the HTTP port of its config (its image has no wget or curl)', () => {
    const test = services.promtail?.healthcheck?.test ?? [];
    expect(test.slice(0, 3)).toEqual(['CMD', 'bash', '-c']);
    const port = (
      parse(readFileSync(join(root, 'deploy/compose/promtail.yml'), 'utf8')) as { server: { http_listen_port: number } }
    ).server.http_listen_port;
    expect(test[3]).toContain(`/dev/tcp/127.0.0.1/${port}`);
    expect(test[3]).toContain('GET /ready');
    // The probe must really ask HTTP: run it with this machine's bash against a server answering 200, then 503.
    const script = (test[3] ?? '').replace(`/dev/tcp/127.0.0.1/${port}`, '/dev/tcp/127.0.0.1/PORT');
    for (const [status, want] of [
      [200, 0],
      [503, 1],
    ] as const) {
      const r = spawnSync(
        'node',
        [
          '-e',
          `
        const s = require('node:http').createServer((q, a) => a.writeHead(q.url === '/ready' ? ${status} : 404).end());
        s.listen(0, '127.0.0.1', () => {
          const p = require('node:child_process').spawn('bash', ['-c', ${JSON.stringify(script)}.replace('PORT', s.address().port)], { stdio: 'inherit' });
          p.on('exit', (c) => { s.close(); process.exit(c); });
        });`,
        ],
        { timeout: 10_000 },
      );
      expect(r.status === 0 ? 0 : 1, `status ${status}`).toBe(want);
    }
  });

  it('declares every named volume it mounts, and every bind-mounted file exists (dist/compose after the build)', async () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const [src] = v.split(':');
        if (src!.startsWith('/')) {
          // The Docker host's own paths (Promtail's Docker socket; cAdvisor's /, /var/run, /sys,
          // /var/lib/docker): not this machine's to check, but never writable by the container.
          expect(v.endsWith(':ro'), `${name} mounts the host's ${src} read-only`).toBe(true);
        } else if (src!.startsWith('.')) {
          expect(existsSync(hostPath(src!)), `${name} mounts ${src}`).toBe(true);
        } else {
          expect(compose.volumes, `${name} uses volume ${src}`).toHaveProperty(src!);
        }
      }
    }
    // The files the services are told to read are in the mounted folders.
    expect(existsSync(join(out, 'prometheus/prometheus.yml'))).toBe(true);
    expect((await readdir(join(out, 'prometheus/rules'))).length).toBeGreaterThan(0);
    expect(existsSync(join(out, 'alertmanager/alertmanager.yml'))).toBe(true);
    expect((await readdir(join(out, 'dashboards'))).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
    expect((await readdir(join(out, 'grafana/provisioning/datasources'))).length).toBeGreaterThan(0);
    expect((await readdir(join(out, 'grafana/provisioning/dashboards'))).length).toBeGreaterThan(0);
  });

  it('runs Node services from compiled entry points that exist in the repo, in a non-root multi-stage image', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect((dockerfile.match(/^FROM /gm) ?? []).length).toBeGreaterThanOrEqual(2);
    const lastStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(lastStage).toMatch(/^USER (?!root\b|0\b)\S+/m);
    for (const [name, s] of Object.entries(services)) {
      if (!s.build) continue;
      expect(statSync(join(root, s.build.context, s.build.dockerfile ?? 'Dockerfile')).isFile()).toBe(true);
      // Entry points live in a workspace package the image builds: <workspace>/build/<path>.js.
      // After node's own flags (the exporter's --optimize-for-size, as its shebang).
      const entry = s.command?.find((c) => !c.startsWith('-')) ?? '';
      const m = /^(exporters\/redis-queue|reference-app)\/build\/(.+)\.js$/.exec(entry);
      expect(m, `${name}: ${entry}`).not.toBeNull();
      // A bundled entry point (scripts/dev/bundle.mjs) comes from its program's main module, and
      // the image must run the bundler for it.
      const bundle = BUNDLES[entry];
      if (bundle) expect(dockerfile).toContain(`RUN node scripts/dev/bundle.mjs ${bundle.target}`);
      const source = join(root, bundle?.source ?? join(m![1]!, `${m![2]!}.ts`));
      expect(existsSync(source), `${name}: ${source}`).toBe(true);
      expect(dockerfile).toContain(`COPY ${m![1]!}/package.json`);
      expect(dockerfile).toContain(`/app/${m![1]!}/build ./${m![1]!}/build`);
    }
  });

  it('publishes the same ports as the config defaults', () => {
    const published = (svc: string) => (services[svc]?.ports ?? []).map((p) => Number(p.split(':')[0]));
    const port = (t: string) => Number(t.split(':').pop());
    const t = defaultConfig.prometheus.targets;
    expect([...published('vote-1'), ...published('vote-2')]).toEqual(t.vote.map(port));
    expect(published('result')).toEqual(t.result.map(port));
    expect(published('worker')).toEqual(t.worker.map(port));
    expect(published('postgres-exporter')).toEqual(t.postgres.map(port));
    expect(published('redis-queue-exporter')).toEqual(t.exporter.map(port));
    expect(published('prometheus')).toEqual(t.prometheus.map(port));
    expect(published('alertmanager')).toEqual(t.alertmanager.map(port));
  });

  it('keeps Redis on AOF fsynced every second (a restart loses at most a second of accepted votes)', () => {
    const cmd = services.redis?.command ?? [];
    const flag = (f: string) => cmd[cmd.indexOf(f) + 1];
    expect(cmd[0]).toBe('redis-server');
    expect(flag('--appendonly')).toBe('yes');
    expect(flag('--appendfsync')).toBe('everysec');
  });

  it('takes every password from the environment (required), none written in the file', () => {
    const secrets = Object.entries(services).flatMap(([name, s]) =>
      Object.entries(s.environment ?? {})
        .filter(([k]) => /PASS/.test(k))
        .map(([k, v]) => [`${name} ${k}`, v] as const),
    );
    // postgres, postgres-exporter, grafana at least.
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const [where, v] of secrets) expect(v, where).toMatch(/^\$\{([A-Z_]+):\?set \1\}$/);
    // DATABASE_URLs carry it by the same reference.
    for (const [name, s] of Object.entries(services)) {
      const url = s.environment?.DATABASE_URL;
      if (url) expect(url, name).toContain('${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@postgres:5432/');
    }
  });

  it('gives both vote instances one cookie secret, from the environment (a voter stays the same voter on either)', () => {
    const secret = (n: string) => services[n]?.environment?.COOKIE_SECRET;
    expect(secret('vote-1')).toMatch(/^\$\{VOTE_COOKIE_SECRET:\?set VOTE_COOKIE_SECRET/);
    expect(secret('vote-2')).toBe(secret('vote-1'));
  });

  it('runs the result service from the app image, postgres_exporter against the compose PostgreSQL, cAdvisor as documented', () => {
    const result = services.result!;
    expect(result.build).toEqual(services['vote-1']!.build);
    expect(result.command).toEqual(['reference-app/build/result/main.js']);
    expect(result.environment?.PORT).toBe('8082');
    expect(result.depends_on).toHaveProperty('postgres.condition', 'service_healthy');
    expect(result.healthcheck?.test.join(' ')).toMatch(/127\.0\.0\.1:8082\/(health|ready)/);

    const pgx = services['postgres-exporter']!;
    expect(pgx.image).toMatch(/^quay\.io\/prometheuscommunity\/postgres-exporter:v/);
    expect(pgx.environment?.DATA_SOURCE_URI).toMatch(/^postgres:5432\/voting\b/);
    expect(pgx.environment?.DATA_SOURCE_USER).toBe(services.postgres?.environment?.POSTGRES_USER);
    expect(pgx.depends_on).toHaveProperty('postgres.condition', 'service_healthy');

    const cad = services.cadvisor!;
    expect(cad.image).toMatch(/^gcr\.io\/cadvisor\/cadvisor:v/);
    expect(cad.privileged).toBe(true);
    expect(cad.devices).toContain('/dev/kmsg');
    expect(cad.volumes).toEqual(
      expect.arrayContaining([
        '/:/rootfs:ro',
        '/var/run:/var/run:ro',
        '/sys:/sys:ro',
        '/var/lib/docker/:/var/lib/docker:ro',
      ]),
    );
    expect(listenPorts('cadvisor', cad)).toContain(8080);
    // With --store_container_labels=false cAdvisor keeps only whitelisted Docker labels: every
    // container_label_* the catalog (and so the Containers row) reads must be on the list.
    const flag = (cad.command as string[]).find((a) => a.startsWith('--whitelisted_container_labels='));
    const kept = (flag?.split('=')[1] ?? '').split(',').map((l) => `container_label_${l.replace(/[.-]/g, '_')}`);
    const read = new Set(
      Object.values(metrics).flatMap((m) =>
        (m.labels as readonly string[]).filter((l) => l.startsWith('container_label_')),
      ),
    );
    expect(read.size).toBeGreaterThan(0);
    for (const l of read) expect(kept, l).toContain(l);
  });

  it('generates a Prometheus config that scrapes compose services and alerts the compose Alertmanager', async () => {
    const prom = parse(await readFile(join(out, 'prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ job_name: string; static_configs?: Array<{ targets: string[] }> }>;
      alerting?: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
      rule_files?: string[];
    };
    const targets = prom.scrape_configs.flatMap((s) => (s.static_configs ?? []).flatMap((c) => c.targets));
    expect(targets.length).toBeGreaterThanOrEqual(9);
    // The issue-14 components are scraped where Compose runs them.
    const jobTargets = (job: string) =>
      prom.scrape_configs
        .filter((c) => c.job_name === job)
        .flatMap((c) => (c.static_configs ?? []).flatMap((x) => x.targets));
    expect(jobTargets('result')).toEqual(['result:8082']);
    expect(jobTargets('postgres')).toEqual(['postgres-exporter:9187']);
    expect(jobTargets('cadvisor')).toEqual(['cadvisor:8080']);
    for (const target of targets) expect(resolvable(target), `scrape target ${target}`).toBe(true);
    const jobs = prom.scrape_configs.map((s) => s.job_name);
    for (const sel of Object.values(defaultConfig.selectors)) expect(jobs).toContain(sel.job);
    const ams = prom.alerting?.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets)) ?? [];
    expect(ams).toEqual(['alertmanager:9093']);
    // rule_files are relative to the config file, which sits in the mounted folder.
    for (const rf of prom.rule_files ?? [])
      expect(rf.startsWith('/') ? rf.startsWith('/etc/prometheus/') : true, rf).toBe(true);
  });

  it('points Alertmanager and Grafana provisioning at compose services', async () => {
    const am = await readFile(join(out, 'alertmanager/alertmanager.yml'), 'utf8');
    const urls = [...am.matchAll(/url:\s*['"]?(https?:\/\/[^'"\s]+)/g)].map((m) => new URL(m[1]!));
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(resolvable(u.host), u.href).toBe(true);

    const dsDir = join(out, 'grafana/provisioning/datasources');
    const datasources = (
      await Promise.all(
        (
          await readdir(dsDir)
        ).map(
          async (f) =>
            parse(await readFile(join(dsDir, f), 'utf8')) as { datasources?: Array<{ type: string; url: string }> },
        ),
      )
    ).flatMap((d) => d.datasources ?? []);
    expect(datasources.map((d) => d.type).sort()).toEqual(['loki', 'prometheus']);
    for (const d of datasources) expect(resolvable(new URL(d.url).host), `${d.type} datasource ${d.url}`).toBe(true);

    const provDir = join(out, 'grafana/provisioning/dashboards');
    const providers = (
      await Promise.all(
        (
          await readdir(provDir)
        ).map(
          async (f) =>
            parse(await readFile(join(provDir, f), 'utf8')) as { providers?: Array<{ options?: { path?: string } }> },
        ),
      )
    ).flatMap((d) => d.providers ?? []);
    const mountTarget = services.grafana?.volumes
      ?.find((v) => v.startsWith('./dist/compose/dashboards:'))
      ?.split(':')[1];
    expect(providers.map((p) => p.options?.path)).toContain(mountTarget);
  });

  it('serves the runbook_url of every alert from the alert-receiver: published port, mounted runbooks, HTML', async () => {
    const receiver = services['alert-receiver']!;
    const command = receiver.command ?? [];
    const dir = command[command.indexOf('--runbooks') + 1];
    const mount = receiver.volumes?.find((v) => v.split(':')[1] === dir);
    expect(mount?.split(':')[0], 'the runbooks folder is mounted where --runbooks reads').toBe(
      './dist/compose/runbooks',
    );
    const published = (receiver.ports ?? []).map((p) => p.split(':')[0]);
    // The receiver itself, started on the mounted folder as the container would be.
    const served = await startWebhookReceiver({ port: 0, runbooksDir: hostPath(mount!.split(':')[0]!) });
    try {
      const ruleDir = join(out, 'prometheus/rules');
      const urls = new Set<string>();
      for (const f of await readdir(ruleDir)) {
        const doc = parse(await readFile(join(ruleDir, f), 'utf8')) as {
          groups: Array<{ rules: Array<{ alert?: string; annotations?: { runbook_url?: string } }> }>;
        };
        for (const r of doc.groups.flatMap((g) => g.rules)) if (r.alert) urls.add(r.annotations!.runbook_url!);
      }
      expect(urls.size).toBeGreaterThan(10);
      for (const url of urls) {
        const u = new URL(url);
        // A browser on the Docker host opens it: localhost and the port the receiver publishes.
        expect(u.hostname, url).toBe('localhost');
        expect(published, url).toContain(u.port);
        const res = await fetch(`http://127.0.0.1:${served.port}${u.pathname}`);
        expect(res.status, url).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(await res.text()).toContain(`<h1>${u.pathname.split('/').pop()!.replace(/\.md$/, '')}</h1>`);
      }
    } finally {
      await served.close();
    }
  });

  it('ships a Loki config and a Promtail config that parse and send JSON logs to the compose Loki', () => {
    const promtail = parse(readFileSync(join(root, 'deploy/compose/promtail.yml'), 'utf8')) as {
      clients: Array<{ url: string }>;
    };
    for (const c of promtail.clients) expect(resolvable(new URL(c.url).host), c.url).toBe(true);
    const loki = parse(readFileSync(join(root, 'deploy/compose/loki.yml'), 'utf8')) as {
      server: { http_listen_port: number };
    };
    expect(listenPorts('loki', services.loki!)).toContain(loki.server.http_listen_port);
    // Every Node service carries the labels Promtail turns into job/instance.
    const labelled = composeText.match(/logging\.job:/g) ?? [];
    expect(labelled.length).toBe(Object.values(services).filter((s) => s.build).length);
  });
});
