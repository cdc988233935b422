// `voting-mixin verify` pointed at something that is not a Prometheus API (an HTML 404, an auth
// proxy answering 401): exit 2 with one line naming the redacted URL, never a stack trace.
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
const exec = (args: string[]) =>
  promisify(execFile)('node', [cli, 'verify', ...args], { cwd: root }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('verify against something that is not a Prometheus', () => {
  let server: Server;
  let port = 0;
  let dist = '';
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'vm-verify-cli-'));
    mkdirSync(join(dist, 'prometheus/rules'), { recursive: true });
    writeFileSync(
      join(dist, 'prometheus/rules/r.yml'),
      'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
    );
    server = createServer((req, res) => {
      if (req.headers.authorization) res.writeHead(401, { 'content-type': 'text/plain' }).end('401 Unauthorized');
      else res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not here</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    rmSync(dist, { recursive: true, force: true });
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('exits 2 with one clear line for an HTML 404 and for a 401 behind an auth proxy', async () => {
    const r = await exec(['--prometheus', `http://127.0.0.1:${port}/`, '--dist', dist]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`http://127.0.0.1:${port}/api/v1/`);
    expect(r.stderr).toContain('answered HTTP 404 with non-JSON (is this a Prometheus?)');
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const auth = await exec(['--prometheus', `http://ci:pa55word@127.0.0.1:${port}`, '--dist', dist]);
    expect(auth.code).toBe(2);
    expect(auth.stderr).toContain('HTTP 401');
    expect(auth.stderr).toContain('check the credentials');
    expect(auth.stderr).toContain('http://ci:***@127.0.0.1');
    expect(auth.stderr + auth.stdout).not.toContain('pa55word');
    expect(auth.stderr).not.toMatch(/\n\s+at /);
  });
});
