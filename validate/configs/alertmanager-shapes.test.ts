// A list-typed field given a mapping (or a scalar-typed one given a list) is a field-type finding
// at that value — it used to throw inside the shape check and become an internal error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { amtoolCheckConfig } from '../../test/support/index.js';
import { validateFiles } from '../engine.js';

const config = (routeExtra: string) =>
  `route:\n  receiver: team\n${routeExtra}receivers:\n  - name: team\n    webhook_configs:\n      - url: http://hooks.example/alerts\n`;

describe('Alertmanager values of the wrong shape', () => {
  it.each([
    ['a list field given a mapping', '  group_by: { alertname: true }\n', 3],
    ['a scalar field given a list', '  group_wait: [30s]\n', 3],
    ['a list of mappings given a scalar', '  routes: nope\n', 3],
  ])('%s', async (_, extra, line) => {
    const { findings } = await validateFiles([{ file: 'alertmanager.yml', text: config(extra) }]);
    expect(findings.filter((f) => f.id === 'internal/error')).toEqual([]);
    const f = findings.find((x) => x.id === 'alertmanager/field-type');
    expect(f?.position?.line, JSON.stringify(findings)).toBe(line);
  });
});

describe('UTF-8 matchers (Alertmanager 0.27+)', () => {
  it('loads them as upstream does, with a warning that older Alertmanagers refuse them', async () => {
    const text = config('  routes:\n    - receiver: team\n      matchers: [\'service.name="api"\']\n');
    const { findings } = await validateFiles([{ file: 'alertmanager.yml', text }]);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.map((f) => [f.id, f.severity])).toContainEqual(['lint/utf8-name', 'warning']);
    // The skew is real: Alertmanager 0.25 (the Debian tool) refuses it.
    const dir = mkdtempSync(join(tmpdir(), 'am-utf8-'));
    try {
      writeFileSync(join(dir, 'am.yml'), text);
      expect((await amtoolCheckConfig(join(dir, 'am.yml'))).ok).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still refuses what no version parses', async () => {
    const text = config("  routes:\n    - receiver: team\n      matchers: ['service name']\n");
    const { findings } = await validateFiles([{ file: 'alertmanager.yml', text }]);
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual(['alertmanager/matcher']);
  });
});
