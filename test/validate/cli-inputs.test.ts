// What a CI user hits at the edges of `voting-mixin validate`: a --metrics URL with credentials
// (sent as Basic auth, never printed), --exclude for a nested build output, an empty directory.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const cli = join(root, 'build/scripts/cli.js');
const exec = (args: string[], cwd = root) =>
  promisify(execFile)('node', [cli, 'validate', ...args], { cwd }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

const RULES = `groups:
  - name: g
    rules:
      - alert: VoteDown
        expr: up{job="vote"} == 0
        for: 1m
        labels: { severity: critical }
        annotations: { summary: vote is down, description: no vote instance answers }
`;

describe('validate --metrics URL with credentials', () => {
  let server: Server;
  let port = 0;
  const seen: (string | undefined)[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== `Basic ${Buffer.from('ci:s3cr3t-pw').toString('base64')}`) {
        res.writeHead(401).end('unauthorized');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'success', data: ['up'] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends user:password as Basic auth and checks the metrics the Prometheus knows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vm-validate-url-'));
    try {
      writeFileSync(join(dir, 'r.yml'), RULES);
      const ok = await exec(['r.yml', '--metrics', `http://ci:s3cr3t-pw@127.0.0.1:${port}`], dir);
      expect(ok.stderr + ok.stdout).not.toContain('s3cr3t-pw');
      expect(ok.code).toBe(0);
      expect(seen.at(-1)).toMatch(/^Basic /);
      // A wrong password: a usage error naming the redacted URL and the HTTP status.
      const bad = await exec(['r.yml', '--metrics', `http://ci:wr0ng-pw@127.0.0.1:${port}`], dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('HTTP 401');
      expect(bad.stderr).toContain('http://ci:***@127.0.0.1');
      expect(bad.stderr).not.toContain('wr0ng-pw');
      // Nothing listens: the reason, not "fetch failed", and still no password.
      server.close();
      const down = await exec(['r.yml', '--metrics', `http://ci:s3cr3t-pw@127.0.0.1:${port}/?token=t0ken`], dir);
      expect(down.code).toBe(2);
      expect(down.stderr).toContain('ECONNREFUSED');
      expect(down.stderr).not.toMatch(/s3cr3t-pw|t0ken/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validate inputs', () => {
  it('--exclude leaves out a nested build output so its rules are not reported as duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vm-validate-excl-'));
    try {
      mkdirSync(join(dir, 'dist/prometheus'), { recursive: true });
      mkdirSync(join(dir, 'dist/compose/prometheus'), { recursive: true });
      writeFileSync(join(dir, 'dist/prometheus/r.yml'), RULES);
      writeFileSync(join(dir, 'dist/compose/prometheus/r.yml'), RULES);
      const all = await exec(['dist/', '--fail-on', 'warning', '--format', 'json'], dir);
      expect(all.code).toBe(1);
      expect(all.stdout).toContain('lint/duplicate-rule');
      for (const ex of ['dist/compose', './dist/compose/', 'dist/compose/**']) {
        const r = await exec(['dist/', '--exclude', ex, '--fail-on', 'warning', '--format', 'json'], dir);
        expect(r.code, ex).toBe(0);
        expect((JSON.parse(r.stdout) as { files: number }).files).toBe(1);
      }
      const none = await exec(['dist/', '--exclude', 'dist'], dir);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('--exclude left no file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a --disable whose area does not exist (a typo would switch nothing off)', async () => {
    const file = 'test/fixtures/rules/invalid/rate-without-range.yml';
    const typo = await exec([file, '--disable', 'promq/arg-type']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('no check or area "promq/arg-type"');
    expect((await exec([file, '--disable', 'promql/arg-type,lint'])).code).toBe(0);
    expect((await exec([file, '--disable', 'all'])).code).toBe(0);
  });

  it('says a directory has no rule or dashboard file rather than that it does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vm-validate-empty-'));
    try {
      mkdirSync(join(dir, 'rules'));
      writeFileSync(join(dir, 'rules/README.md'), '# nothing here\n');
      const r = await exec(['rules'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no .yml, .yaml or .json file in directory rules');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
