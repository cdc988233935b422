// The entry check must hold when node runs a module through a symlink (the npm bin link, a
// workspace link): a check on argv[1] alone silently skipped main() there once.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isEntryPoint } from './entry-point.js';

const dir = mkdtempSync(join(tmpdir(), 'entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('isEntryPoint', () => {
  it('is true for the module itself, directly or through a symlink, and false for another file', () => {
    const file = join(dir, 'main.js');
    writeFileSync(file, '');
    const link = join(dir, 'bin-link');
    symlinkSync(file, link);
    const url = pathToFileURL(file).href;
    expect(isEntryPoint(url, file)).toBe(true);
    expect(isEntryPoint(url, link)).toBe(true);
    expect(isEntryPoint(url, join(dir, 'other.js'))).toBe(false);
    expect(isEntryPoint(url, undefined)).toBe(false);
  });
});
