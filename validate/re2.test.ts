// Go RE2 regex verdicts (regexp/syntax as promtool 2.42 / Go 1.19 and amtool 0.25 compile them),
// compared live: each regex goes into a rule file's selector, one promtool run checks them all,
// and a few go into an Alertmanager route's `matchers` for amtool.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { re2Error } from './re2.js';

/** Raw regexes (not PromQL-escaped) and Go's verdict, which the live tools must confirm. */
const CASES: ReadonlyArray<[string, 'valid' | 'invalid']> = [
  // Octal escapes: `\0…`, or `\1`–`\7` followed by another octal digit (up to three digits).
  ['\\101', 'valid'],
  ['a\\12', 'valid'],
  ['\\377', 'valid'],
  ['\\0', 'valid'],
  ['\\08', 'valid'],
  ['\\400', 'valid'],
  ['\\1234', 'valid'],
  ['[\\101]', 'valid'],
  ['[a-\\101]', 'invalid'],
  ['\\1', 'invalid'],
  ['\\18', 'invalid'],
  ['[\\1]', 'invalid'],
  ['\\8', 'invalid'],
  ['\\9', 'invalid'],
  // Group names: [A-Za-z0-9_]+, duplicates allowed.
  ['(?P<n>a)(?P<n>b)', 'valid'],
  ['(?P<1a>x)', 'valid'],
  ['(?P<é>x)', 'invalid'],
  ['(?P<>x)', 'invalid'],
  ['(?P<a-b>x)', 'invalid'],
  ['(?P<n', 'invalid'],
  ['(?P<n>x)(?P<n>y)\\1', 'invalid'],
  // Repeat counts: at most 1000, and nested counts multiply.
  ['(a{10}){101}', 'invalid'],
  ['(a{10}){100}', 'valid'],
  ['((a{10}){10}){11}', 'invalid'],
  ['((a{10}){10}){10}', 'valid'],
  ['(a{1000}){1}', 'valid'],
  ['(a{2}){501}', 'invalid'],
  ['(a{2,}){501}', 'invalid'],
  ['(a{0,2}){501}', 'invalid'],
  ['(a*){1000}', 'valid'],
  ['(?:a{10}){101}', 'invalid'],
  ['(a{10}b{10}){101}', 'invalid'],
  ['(a{10}|b{10}){101}', 'invalid'],
  ['((a{10}){0}){200}', 'valid'],
  ['((a{600}){1}){2}', 'invalid'],
  ['\\Qa\\E{1001}', 'invalid'],
  ['a{10}b{100}', 'valid'],
  // Class ranges end in a single character, never a class escape.
  ['[a-\\d]', 'invalid'],
  ['[a-\\w]', 'invalid'],
  ['[a-\\pL]', 'invalid'],
  ['[\\d-a]', 'valid'],
  ['[\\pL-z]', 'valid'],
  ['[[:alpha:]-z]', 'valid'],
  ['[a-[:alpha:]]', 'invalid'],
  ['[\\x41-\\x{5A}]', 'valid'],
  ['[\\b]', 'invalid'],
  ['[\\A]', 'invalid'],
  ['[\\z]', 'invalid'],
  ['[\\C]', 'invalid'],
  // \x{…}: one or more hex digits, at most U+10FFFF.
  ['\\x{FFFFFFFFFF}', 'invalid'],
  ['\\x{110000}', 'invalid'],
  ['\\x{10FFFF}', 'valid'],
  ['\\x{}', 'invalid'],
  // \Q…\E: an unclosed \Q swallows the anchoring `)$`; no \Q in a class.
  ['\\Qab', 'invalid'],
  ['\\Qa)', 'invalid'],
  ['a\\Q', 'invalid'],
  ['[\\Q]\\E]', 'invalid'],
  ['[\\Qa\\E]', 'invalid'],
  ['\\Qa.b\\E+', 'valid'],
];

const tmp = mkdtempSync(join(tmpdir(), 're2-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function promtoolValid(regexes: readonly string[]): Promise<boolean[]> {
  const files = regexes.map((re, i) => {
    const f = `r${String(i).padStart(4, '0')}.yml`;
    const expr = `up{job=~${JSON.stringify(re)}}`;
    writeFileSync(
      join(tmp, f),
      `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ${JSON.stringify(expr)}\n`,
    );
    return f;
  });
  const { stdout } = await promisify(execFile)('promtool', ['check', 'rules', ...files], {
    cwd: tmp,
    maxBuffer: 1 << 24,
  }).catch((e: { stdout: string }) => e);
  const ok = new Map<string, boolean>();
  for (const section of stdout.split(/^Checking /m).slice(1))
    ok.set(section.split('\n')[0]!, /^\s*SUCCESS/m.test(section));
  return files.map((f) => ok.get(f) ?? false);
}

async function amtoolValid(re: string): Promise<boolean> {
  const f = join(tmp, `am${Math.random().toString(36).slice(2)}.yml`);
  const matcher = `a=~${JSON.stringify(re)}`;
  writeFileSync(
    f,
    `route:\n  receiver: r\n  routes:\n    - receiver: r\n      matchers: [${JSON.stringify(matcher)}]\nreceivers:\n  - name: r\n`,
  );
  return promisify(execFile)('amtool', ['check-config', f]).then(
    () => true,
    () => false,
  );
}

describe('re2Error follows Go regexp/syntax', () => {
  it('matches the expected verdict on every case', () => {
    const wrong = CASES.filter(([re, v]) => (re2Error(re) === undefined) !== (v === 'valid')).map(
      ([re, v]) => `${re}: expected ${v}, got ${re2Error(re) ?? 'valid'}`,
    );
    expect(wrong).toEqual([]);
  });

  it('gives promtool check rules verdicts, live', async () => {
    const live = await promtoolValid(CASES.map(([re]) => re));
    const wrong = CASES.flatMap(([re, v], i) => (live[i] === (v === 'valid') ? [] : [`${re}: promtool ${live[i]}`]));
    expect(wrong).toEqual([]);
  });

  it('gives amtool check-config verdicts on matchers, live', async () => {
    const some = ['\\101', '(?P<1a>x)', '(a{10}){101}', '[a-\\d]', '\\x{110000}', '\\Qab', '[\\Q]\\E]', '\\1'];
    const live = await Promise.all(some.map(amtoolValid));
    expect(some.map((re, i) => `${re}: ${live[i]}`)).toEqual(
      some.map((re) => `${re}: ${CASES.find(([r]) => r === re)![1] === 'valid'}`),
    );
  });

  it('names Go errors, not JavaScript ones', () => {
    expect(re2Error('\\1')).toMatch(/invalid escape sequence/);
    expect(re2Error('\\x{110000}')).toMatch(/invalid escape sequence/);
    expect(re2Error('(?P<é>x)')).toMatch(/invalid named capture/);
    expect(re2Error('(a{10}){101}')).toMatch(/invalid repeat count/);
  });
});
