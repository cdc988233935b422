// The registry is the one list of checks: every file is in it, every id the code reports is in
// it, its docs are current, and every check's bad example triggers it (at its registered
// severity) while its good example does not — run through the real engine.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_PATH, renderDocs, renderTable } from '../../scripts/dev/gen-checks.js';
import { validateFiles } from '../engine.js';
import { AREAS, type Example, type ExampleOptions } from './check.js';
import { checks } from './registry.js';

const root = join(import.meta.dirname, '../..');
const { listCheckIds, renderIndex, INDEX_PATH } = (await import(
  join(root, 'scripts/dev/checks-index.mjs') as string
)) as {
  listCheckIds: () => string[];
  renderIndex: (ids: string[]) => string;
  INDEX_PATH: string;
};

/** A bare PromQL example becomes an alerting rule with every annotation the lints ask for. */
function exampleFile(e: Example): { file: string; text: string } {
  if (typeof e !== 'string') return e;
  return {
    file: 'example-rules.yml',
    text: [
      'groups:',
      '  - name: example',
      '    rules:',
      '      - alert: Example',
      `        expr: ${JSON.stringify(e)}`,
      '        for: 5m',
      '        labels: { severity: warning }',
      '        annotations: { summary: s, description: d }',
      '',
    ].join('\n'),
  };
}

async function run(e: Example, opts: ExampleOptions = {}) {
  const main = exampleFile(e);
  const metrics = opts.metrics ? { names: new Set(opts.metrics), kinds: new Map() } : undefined;
  // The example file is named, as a user names the file to check.
  const res = await validateFiles([{ ...main, named: true }, ...(opts.with ?? [])], {
    ...(metrics ? { metrics: metrics as never } : {}),
    ...(opts.scrapeIntervalMs ? { scrapeIntervalMs: opts.scrapeIntervalMs } : {}),
  });
  return res.findings;
}

/** Every `'area/name'` string literal in the sources that report findings. */
function reportedIds(): Map<string, string> {
  const areas = Object.keys(AREAS).join('|');
  const literal = new RegExp(`['"\`](${areas})/([a-z0-9-]+)['"\`]`, 'g');
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!['checks', 'schemas', 'node_modules', 'build'].includes(e.name)) walk(p);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(literal)) found.set(`${m[1]}/${m[2]}`, relative(root, p));
      }
    }
  };
  for (const d of ['validate', 'alerts', 'dashboards', 'scripts/commands']) walk(join(root, d));
  return found;
}

describe('check registry', () => {
  it('index.ts lists every check file', () => {
    expect(readFileSync(join(root, INDEX_PATH), 'utf8')).toBe(renderIndex(listCheckIds()));
  });

  it('each check is named after its file and documented', () => {
    const ids = listCheckIds();
    expect(checks.map((c) => c.id)).toEqual(ids);
    for (const c of checks) {
      expect(c.summary.trim(), c.id).not.toBe('');
      expect(c.why.trim(), c.id).not.toBe('');
      if (c.testedBy) {
        expect(existsSync(join(root, c.testedBy)), `${c.id}: ${c.testedBy}`).toBe(true);
        expect(readFileSync(join(root, c.testedBy), 'utf8'), `${c.testedBy} names ${c.id}`).toContain(c.id);
      } else {
        expect(c.bad, `${c.id} has a bad example`).toBeDefined();
        expect(c.good, `${c.id} has a good example`).toBeDefined();
      }
    }
  });

  it('every id the code reports is registered', () => {
    const known = new Set(checks.map((c) => c.id));
    const missing = [...reportedIds()].filter(([id]) => !known.has(id)).map(([id, file]) => `${id} (${file})`);
    expect(missing).toEqual([]);
  });

  it('README table and docs/CHECKS.md are current (npm run gen:checks)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(renderTable(checks));
    expect(readFileSync(join(root, DOCS_PATH), 'utf8')).toBe(renderDocs(checks));
  });

  describe.each(checks.filter((c) => c.bad !== undefined).map((c) => [c.id, c] as const))('%s', (id, c) => {
    it('fires on its bad example at its severity', async () => {
      const findings = await run(c.bad!, c.exampleOptions);
      const hit = findings.filter((f) => f.id === id);
      expect(hit.length, JSON.stringify(findings, null, 1)).toBeGreaterThan(0);
      expect(hit.every((f) => f.severity === c.severity)).toBe(true);
      const unknown = findings.filter((f) => !checks.some((k) => k.id === f.id)).map((f) => f.id);
      expect(unknown, 'unregistered ids').toEqual([]);
    });
    it('is silent on its good example', async () => {
      const findings = await run(c.good!, c.exampleOptions);
      expect(findings.filter((f) => f.id === id)).toEqual([]);
    });
  });
});
