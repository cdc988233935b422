import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exporterVersion, PACKAGE_NAME } from './version.js';

describe('exporterVersion', () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  it("is the workspace package's version, found from the sources and from build/", () => {
    expect(pkg.name).toBe(PACKAGE_NAME);
    expect(exporterVersion()).toBe(pkg.version);
    expect(exporterVersion(join(import.meta.dirname, 'build'))).toBe(pkg.version);
  });
  it("skips other packages' package.json (the library's) and says unknown when there is none", () => {
    expect(exporterVersion(join(import.meta.dirname, '../..'))).toBe('unknown');
    const empty = mkdtempSync(join(tmpdir(), 'rqe-version-'));
    try {
      expect(exporterVersion(empty)).toBe('unknown');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
