// Our valid/invalid verdict on every rule file of our fixtures matches `promtool check rules`
// (errors only: lint warnings do not make a file invalid unless --strict).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFiles } from '../../validate/engine.js';
import { promtoolCheckRules } from '../support/index.js';

const root = join(import.meta.dirname, '../fixtures/rules');
const corpus = ['valid', 'invalid'].flatMap((d) => readdirSync(join(root, d)).map((f) => join(d, f))).sort();

async function promtoolVerdicts(files: string[]): Promise<Map<string, boolean>> {
  const verdicts = await promtoolCheckRules(files, root);
  return new Map([...verdicts].map(([f, v]) => [f, v.ok]));
}

describe('agreement with promtool check rules', () => {
  it('has a corpus covering valid files and every broken class', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    expect(corpus.filter((f) => f.startsWith('valid/')).length).toBeGreaterThanOrEqual(10);
  });

  it('gives the same verdict as promtool on every file', async () => {
    const promtool = await promtoolVerdicts(corpus);
    const ours = await validateFiles(corpus.map((f) => ({ file: f, text: readFileSync(join(root, f), 'utf8') })));
    const mismatches: string[] = [];
    for (const f of corpus) {
      const oursValid = !ours.findings.some((x) => x.file === f && x.severity === 'error');
      if (oursValid !== promtool.get(f))
        mismatches.push(
          `${f}: promtool ${promtool.get(f) ? 'valid' : 'invalid'}, ours ${oursValid ? 'valid' : 'invalid'}`,
        );
      // The folder states the intended verdict, so a fixture cannot silently change class.
      expect(promtool.get(f), f).toBe(f.startsWith('valid/'));
    }
    expect(mismatches).toEqual([]);
  });

  it('reports every invalid file with a position', async () => {
    const files = corpus.filter((f) => f.startsWith('invalid/'));
    const ours = await validateFiles(files.map((f) => ({ file: f, text: readFileSync(join(root, f), 'utf8') })));
    for (const f of files) {
      const errors = ours.findings.filter((x) => x.file === f && x.severity === 'error');
      expect(errors.length, f).toBeGreaterThan(0);
      expect(
        errors.some((e) => e.position),
        `${f} has a positioned error`,
      ).toBe(true);
    }
  });

  it('is stricter only through warnings, which --strict turns into errors', async () => {
    const f = 'valid/lint-only-warnings.yml';
    const input = [{ file: f, text: readFileSync(join(root, f), 'utf8') }];
    const relaxed = await validateFiles(input);
    expect(relaxed.findings.filter((x) => x.severity === 'error')).toEqual([]);
    const ids = new Set(relaxed.findings.map((x) => x.id));
    for (const id of [
      'lint/alert-no-comparison',
      'lint/alert-name',
      'lint/absent-without-for',
      'lint/recording-name',
      'lint/rate-non-counter',
      'lint/range-window',
      'lint/needless-regex',
      'lint/histogram-quantile-le',
      'lint/rate-of-sum',
      'lint/duplicate-rule',
      'lint/severity-missing',
      'lint/severity-unknown',
      'lint/summary-missing',
      'lint/description-missing',
      'promql/duplicate-label',
      'promql/rule-type',
      'template/dropped-label',
    ]) {
      expect(ids, id).toContain(id);
    }
    const strict = await validateFiles(input, { strict: true });
    expect(strict.findings.length).toBe(relaxed.findings.length);
    expect(strict.findings.every((x) => x.severity !== 'warning')).toBe(true);
  });
});
