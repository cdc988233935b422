// `build --out` must never replace a folder of the user's own: `--out "$UNSET"` or `--out .` in a
// project with its own tests/ or dashboards/ once deleted them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { OUT_MARKER } from './out-dir.js';

const dir = mkdtempSync(join(tmpdir(), 'vm-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function build(...args: string[]): Promise<{ code: number; err: string }> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await main(['build', '--quiet', '--only', 'dashboards', ...args], {
    stdout: new PassThrough(),
    stderr,
    cwd: dir,
    env: {},
  });
  return { code, err };
}

describe('build --out', () => {
  it('refuses an empty value and a folder holding files it did not write, and leaves them alone', async () => {
    mkdirSync(join(dir, 'project/dashboards'), { recursive: true });
    writeFileSync(join(dir, 'project/dashboards/mine.json'), '{"mine":true}');
    expect(await build('--out', '')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--out: needs a non-empty value'),
    });
    const r = await build('--out', 'project');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--out project: the folder holds files a build did not write (dashboards)');
    expect(readFileSync(join(dir, 'project/dashboards/mine.json'), 'utf8')).toBe('{"mine":true}');
  });

  it('writes into a new folder, marks it, and builds into it again; a nested build folder is its own', async () => {
    expect((await build('--out', 'dist')).code).toBe(0);
    expect(readFileSync(join(dir, 'dist', OUT_MARKER), 'utf8')).toContain('voting-mixin build');
    expect((await build('--out', 'dist')).code).toBe(0);
    expect((await build('--out', 'out/compose')).code).toBe(0);
    expect((await build('--out', 'out')).code).toBe(0);
  });
});
