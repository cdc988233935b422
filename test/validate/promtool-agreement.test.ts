// Our valid/invalid verdict on every rule file of the corpus matches `promtool check rules`
// (errors only: lint warnings do not make a file invalid unless --strict).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { validateFiles } from '../../validate/engine.js';

const root = join(import.meta.dirname, '../fixtures/rules');
const corpus = ['valid', 'invalid'].flatMap((d) => readdirSync(join(root, d)).map((f) => join(d, f))).sort();

/**
 * One promtool run over all files. stdout has `Checking FILE` then `SUCCESS` for files that pass;
 * stderr has one `FAILED:` block per other file, in the same order. A block that is only a lint
 * error (duplicate rules) does not fail the file: promtool exits 0 for it without --lint-fatal.
 */
async function promtoolVerdicts(files: string[]): Promise<Map<string, boolean>> {
  const { stdout, stderr } = await promisify(execFile)('promtool', ['check', 'rules', ...files], {
    cwd: root,
    maxBuffer: 1 << 24,
  }).catch((e: { stdout: string; stderr: string }) => e);
  const blocks = stderr.split(/^\s*FAILED:\n/m).slice(1);
  const verdicts = new Map<string, boolean>();
  for (const section of stdout.split(/^Checking /m).slice(1)) {
    const file = section.split('\n')[0]!;
    if (/^\s*SUCCESS/m.test(section)) verdicts.set(file, true);
    else verdicts.set(file, (blocks.shift() ?? '').startsWith('lint error'));
  }
  return verdicts;
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
