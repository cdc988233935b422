// On a list-only deployment the stream consumer-group panel (shown because a queue is `auto`, so
// it may be a stream) is empty, and `verify` must call that quiet, with the reason, not an empty
// panel: a real Prometheus scrapes a stand-in exporter that writes what ours writes for one list
// queue, and the real verify command reads the built dashboard.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { metrics as m } from '../config/metrics.js';
import { verifyCommand } from '../scripts/commands/verify.js';
import { freePort, type ManagedProcess, startPrivatePrometheus, waitFor } from '../test/support/index.js';
import { redisQueueDashboard } from './index.js';
import { NO_STREAM_GROUP } from './queries.js';

const cfg = defineConfig({ queues: [{ name: 'votes', key: 'votes' }] });
const GROUPS = 'Stream consumer groups: lag and pending by group';

let dir: string;
let prom: ManagedProcess;
let url: string;
let exporter: Server;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stream-groups-verify-'));
  // What the queue exporter writes for one list queue: no stream group series at all.
  exporter = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(
        [
          `${m.redisUp.name} 1`,
          `${m.redisQueueLength.name}{queue="votes",key="votes",type="list"} 3`,
          `${m.redisQueueOldestItemAgeSeconds.name}{queue="votes",key="votes"} 2`,
          '',
        ].join('\n'),
      );
  });
  await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const job = cfg.selectors.exporter.job as string;
  await writeFile(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: ${job}\n    static_configs: [{ targets: ['127.0.0.1:${(exporter.address() as AddressInfo).port}'] }]\n`,
  );
  prom = await startPrivatePrometheus(dir, port);
  await mkdir(join(dir, 'dist', 'dashboards'), { recursive: true });
  await writeFile(join(dir, 'dist', 'dashboards', 'redis-queue.json'), JSON.stringify(redisQueueDashboard(cfg)));
  await waitFor(
    'the stand-in exporter scraped',
    async () => {
      const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(m.redisQueueLength.name)}`);
      return ((await r.json()) as { data: { result: unknown[] } }).data.result.length > 0;
    },
    20_000,
    300,
  );
}, 60_000);

afterAll(async () => {
  await prom?.close();
  await new Promise<void>((r) => (exporter ? exporter.close(() => r()) : r()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('verify on a list-only deployment', () => {
  it('the stream consumer-group targets are quiet, with the reason, not empty panels', async () => {
    const out = new PassThrough();
    let stdout = '';
    out.on('data', (c: Buffer) => (stdout += c));
    await verifyCommand.run(['--prometheus', url, '--dist', 'dist', '--no-catalog', '--format', 'json'], {
      stdout: out,
      stderr: new PassThrough(),
      cwd: dir,
      env: {},
    });
    const report = JSON.parse(stdout) as {
      findings: Array<{ id: string; context?: string; message: string }>;
      stats: { quiet: Array<{ context: string; reason: string }> };
    };
    // Other panels need metrics this stand-in does not write (commandstats, persistence…): only
    // the group panel and its metrics are judged here.
    const about = (s: string) => s.includes(GROUPS) || s.includes('redis_queue_stream_group');
    expect(report.findings.filter((f) => about(`${f.context ?? ''} ${f.message}`))).toEqual([]);
    const quiet = report.stats.quiet.filter((q) => about(q.context));
    const target = (t: string) =>
      `dashboard "Voting / Redis & queue" › panel "${GROUPS}" (id ${panelId()}) › target ${t}`;
    expect(quiet.map((q) => q.context)).toEqual([
      target('A'),
      target('B'),
      `metric ${m.redisQueueStreamGroupLag.name}`,
      `metric ${m.redisQueueStreamGroupPending.name}`,
    ]);
    for (const q of quiet.slice(0, 2)) expect(q.reason).toContain(NO_STREAM_GROUP);
    // The queue panels of the same dashboard had data: the stand-in was read.
    expect(report.findings.some((f) => (f.context ?? '').includes('votes: length'))).toBe(false);
  }, 60_000);
});

function panelId(): number {
  const d = redisQueueDashboard(cfg) as unknown as { panels: Array<{ title: string; id: number }> };
  return d.panels.find((p) => p.title === GROUPS)!.id;
}
