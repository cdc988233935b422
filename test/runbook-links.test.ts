// Runbook links that resolve: built as the demo stack builds (runbookBaseUrl = the in-process
// alert-receiver, which serves the build's dist/runbooks), every alert's runbook_url answers with
// its runbook as HTML; and the same receiver is what the default runbookBaseUrl names.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startWebhookReceiver, type WebhookReceiver } from '@voting-mixin/reference-app/alert-receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { defaultConfig } from '../config/mixin-config.js';
import { alertReceiverFlags } from '../reference-app/alert-receiver/main.js';
import { buildCommand } from '../scripts/commands/build.js';

let dir: string;
let receiver: WebhookReceiver;
let urls: Map<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runbook-links-'));
  receiver = await startWebhookReceiver({ port: 0, runbooksDir: join(dir, 'dist', 'runbooks') });
  // A team-style config (two queues, its own job names), pointed at the receiver as the stack does.
  const config = join(dir, 'voting-mixin.config.yaml');
  await writeFile(
    config,
    stringify({
      selectors: { vote: { job: 'vote-prod' }, worker: { job: 'worker-prod' } },
      queues: [
        { name: 'votes', key: 'votes', processingPattern: 'votes:processing:*' },
        { name: 'audit', key: 'audit:*', warning: 50, critical: 80 },
      ],
      runbookBaseUrl: `http://127.0.0.1:${receiver.port}/runbooks/`,
      alertmanager: { receivers: { webhook: { url: receiver.url } } },
    }),
  );
  let err = '';
  const stderr = new PassThrough();
  stderr.on('data', (c: Buffer) => (err += c));
  const code = await buildCommand.run(['--config', config, '--out', join(dir, 'dist'), '--only', 'alerts', '--quiet'], {
    stdout: new PassThrough(),
    stderr,
    cwd: dir,
    env: {},
  });
  if (code !== 0) throw new Error(`build failed (${code}): ${err}`);
  urls = new Map();
  const rules = join(dir, 'dist', 'prometheus', 'rules');
  for (const f of await readdir(rules)) {
    const doc = parse(await readFile(join(rules, f), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert?: string; annotations?: Record<string, string> }> }>;
    };
    for (const r of doc.groups.flatMap((g) => g.rules)) if (r.alert) urls.set(r.alert, r.annotations!.runbook_url!);
  }
});
afterAll(async () => {
  await receiver?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('runbook_url', () => {
  it('answers 200 text/html with the runbook for every generated alert', async () => {
    expect(urls.size).toBeGreaterThanOrEqual(25);
    for (const [alert, url] of urls) {
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe('text/html; charset=utf-8');
      const html = await res.text();
      expect(html, url).toContain(`<h1>${alert}</h1>`);
      expect(html, url).toContain('<h2>How to mitigate</h2>');
      expect(html, url).not.toMatch(/^## /m);
    }
  });

  it('is 404 for an alert that does not exist and for a path out of the runbooks folder', async () => {
    const base = `http://127.0.0.1:${receiver.port}/runbooks/`;
    for (const path of ['NoSuchAlert.md', '..%2fvoting-mixin.config.yaml', '%2e%2e%2fvoting-mixin.config.yaml'])
      expect((await fetch(base + path)).status, path).toBe(404);
  });

  it('defaults to the alert-receiver on its default port, where Compose publishes it', () => {
    const listen = alertReceiverFlags.listen.default;
    expect(defaultConfig.runbookBaseUrl).toBe(`http://localhost:${listen.split(':').pop()}/runbooks/`);
  });
});
