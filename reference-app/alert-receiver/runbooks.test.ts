import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownToHtml } from './runbooks.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook.js';

const RUNBOOK = `# QueueBacklogHigh

Votes are accepted but not processed.

| severity | queue | for | summary |
|---|---|---|---|
| warning | votes | \`5m\` | Queue votes backlog above 200 |

Dashboard: http://localhost:3000/d/voting-redis-queue?viewPanel=12&x=1

## How to confirm

> {{ $value | humanize }} items wait in queue {{ $labels.queue }}
>
> <script>alert(1)</script>

\`\`\`promql
sum by (queue) (redis_queue_length{job="redis-queue-exporter"}) > 200
\`\`\`

- Check the workers: WorkerDown, worker logs ({job="worker"}).
- Scale workers.
`;

describe('markdownToHtml', () => {
  const html = markdownToHtml(RUNBOOK);
  it('renders what the runbook generator writes: headings, tables, quotes, code, lists, links', () => {
    expect(html).toContain('<h1>QueueBacklogHigh</h1>');
    expect(html).toContain('<h2>How to confirm</h2>');
    expect(html).toContain('<th>severity</th>');
    expect(html).toContain('<td><code>5m</code></td>');
    expect(html).toContain(
      '<a href="http://localhost:3000/d/voting-redis-queue?viewPanel=12&#38;x=1">http://localhost:3000/d/voting-redis-queue?viewPanel=12&#38;x=1</a>',
    );
    expect(html).toContain('<pre><code class="language-promql">sum by (queue) (redis_queue_length{job=&#34;');
    expect(html).toMatch(/<ul><li>Check the workers: .*<\/li><li>Scale workers.<\/li><\/ul>/);
    expect(html).toMatch(/<blockquote><p>\{\{ \$value \| humanize \}\}.*<\/p><p>&#60;script&#62;/s);
  });
  it('leaves no markdown syntax and no markup from the file', () => {
    expect(html).not.toMatch(/^#|\|---|```|<script>/m);
  });
});

describe('GET /runbooks/', () => {
  let dir: string;
  let receiver: WebhookReceiver;
  /** A raw request: fetch would normalise `..` before it leaves. */
  const get = (path: string) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: receiver.port, path, method: 'GET' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbooks-'));
    mkdirSync(join(dir, 'runbooks'));
    writeFileSync(join(dir, 'runbooks', 'QueueBacklogHigh.md'), RUNBOOK);
    writeFileSync(join(dir, 'Secret.md'), '# Secret\n');
    receiver = await startWebhookReceiver({ port: 0, runbooksDir: join(dir, 'runbooks') });
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/runbooks/QueueBacklogHigh.md', '/runbooks/QueueBacklogHigh', '/runbooks/QueueBacklogHigh.md?x=1'])(
    '%s is the runbook as HTML',
    async (path) => {
      const r = await get(path);
      expect(r.status).toBe(200);
      expect(r.type).toBe('text/html; charset=utf-8');
      expect(r.body).toMatch(/^<!doctype html>/);
      expect(r.body).toContain('<title>QueueBacklogHigh runbook</title>');
      expect(r.body).toContain('<h1>QueueBacklogHigh</h1>');
    },
  );

  it('lists the runbooks at /runbooks/', async () => {
    const r = await get('/runbooks/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<a href="QueueBacklogHigh.md">QueueBacklogHigh</a>');
  });

  it.each([
    '/runbooks/NoSuchAlert.md',
    '/runbooks/../Secret.md',
    '/runbooks/..%2fSecret.md',
    '/runbooks/%2e%2e%2fSecret.md',
    '/runbooks/%2e%2e/Secret.md',
    '/runbooks/..%5cSecret.md',
    '/runbooks/%00.md',
    '/runbooks/%E0%A4%A.md',
    '/runbooks/QueueBacklogHigh.md/',
  ])('%s is 404', async (path) => {
    const r = await get(path);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('Secret</h1>');
  });

  it('serves no runbooks when it was given no folder', async () => {
    const bare = await startWebhookReceiver({ port: 0 });
    try {
      expect((await fetch(`http://127.0.0.1:${bare.port}/runbooks/QueueBacklogHigh.md`)).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
