/**
 * quick-yaml answers only when it answers what js-yaml answers: over real rule files (the corpus,
 * the fixtures, the benchmark's generated files), thousands of mutations of them, and the YAML
 * corners it must refuse or get exactly right.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ruleFile, smallRuleFiles } from '../../scripts/dev/bench/validate.js';
import { quickLoad } from './quick-yaml.js';

const root = join(import.meta.dirname, '../..');

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

const real = [...yamlFiles(join(root, '../shared/corpus')), ...yamlFiles(join(root, 'test/fixtures'))].map((p) =>
  readFileSync(p, 'utf8'),
);
const generated = [ruleFile(40), ...smallRuleFiles(12).map((f) => f.text)];

/** js-yaml's documents, or 'throws'. */
function reference(text: string): unknown {
  try {
    return loadAll(text);
  } catch {
    return 'throws';
  }
}

/** When quick-yaml answers, js-yaml must give the same documents (and not refuse the text). */
function agrees(text: string): boolean {
  const quick = quickLoad(text);
  if (quick === undefined) return false;
  expect(quick, JSON.stringify(text.slice(0, 300))).toEqual(reference(text));
  return true;
}

function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const PIECES = [
  ' ',
  '  ',
  '\n',
  ':',
  ': ',
  '#',
  ' #',
  '-',
  '- ',
  '"',
  "'",
  '|',
  '>',
  '|-',
  '>+',
  '\\',
  '{}',
  '[]',
  '---\n',
  '~',
  '0',
  '1.5',
  'true',
  '\r\n',
  'x',
];

function mutate(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * text.length);
  const r = rnd();
  if (r < 0.4) return text.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)]! + text.slice(at);
  if (r < 0.7) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 3));
  const lines = text.split('\n');
  const l = Math.floor(rnd() * lines.length);
  if (r < 0.85) lines.splice(l, 0, lines[l] ?? '');
  else lines[l] = ` ${lines[l] ?? ''}`;
  return lines.join('\n');
}

describe('quick-yaml', () => {
  it('reads the real and generated rule files as js-yaml does', () => {
    let answered = 0;
    for (const t of [...real, ...generated]) if (agrees(t)) answered++;
    // It is only worth having if it reads most rule files itself.
    expect(answered).toBeGreaterThan((real.length + generated.length) / 2);
    for (const t of generated) expect(quickLoad(t), t.slice(0, 80)).toBeDefined();
  });

  it('never answers differently from js-yaml on 6,000 mutations', () => {
    const rnd = prng(11);
    const seeds = [...real.filter((t) => quickLoad(t) !== undefined), ...generated];
    let answered = 0;
    for (let i = 0; i < 6000; i++) {
      let t = seeds[i % seeds.length]!;
      for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) t = mutate(t, rnd);
      if (agrees(t)) answered++;
    }
    expect(answered).toBeGreaterThan(1000);
  });

  it('gets the corners right or leaves them to js-yaml', () => {
    const cases = [
      'a: |\n  x\n\n  y\n\nb: 1\n',
      'a: |+\n  x\n\n\nb: 1\n',
      'a: |-\n  x\n  # not a comment\nb: 1\n',
      'a: >\n  folded\n  text\n\n  para\n',
      'a: >-\n  x\n',
      'a: "esc \\t \\" \\\\ \\u00e9 \\x41"\n',
      "a: 'it''s'\n",
      'a: 0.05\nb: 10\nc: -3\nd: 007\ne: 1e3\nf: 0x1F\ng: .inf\nh: True\ni: ~\nj:\nk: 5m\n',
      'a:\n- x\n- y\nb: 2\n',
      'a:\n  - k: 1\n    l: 2\n  -   m: 3\n      n: 4\n  -\n    o: 5\n',
      '---\na: 1\n---\nb: 2\n',
      'a: 1\n---\n',
      '# only a comment\n',
      'a: 1\na: 2\n',
      '1.0: x\n',
      'True: x\n',
      'a: b: c\n',
      'a: x\n  continued\n',
      'a: {b: 1}\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: "multi\n  line"\n',
      'a: |\n\n  leading blank\n',
      'a:\tb\n',
      'a: x # comment\nb: "y" # comment\n',
      'a: {}\nb: []\n',
      '- top\n- level\n',
      '__proto__: 1\n',
      'record: :node_memory:sum\nb: -5m\nc: ?q\nd: -1\ne: - x\nf: -.5\n',
    ];
    for (const c of cases) agrees(c);
    expect(quickLoad('a: |\n  x\n\n  y\n\nb: 1\n')).toEqual([{ a: 'x\n\ny\n', b: 1 }]);
    expect(quickLoad('a: 1\na: 2\n')).toBeUndefined();
    expect(quickLoad('a: {b: 1}\n')).toBeUndefined();
    // kube-prometheus names recordings like this: a plain scalar may start with `:`.
    expect(quickLoad('record: :node_memory:sum\n')).toEqual([{ record: ':node_memory:sum' }]);
  });
});
