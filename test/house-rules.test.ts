// The house rules that a machine can check (docs/LAYOUT.md says why each exists). Import cycles
// are Biome's noImportCycles (biome.json); everything else is here, on the source text:
//   1. builders are pure: nothing under config/, dashboards/ or alerts/ does I/O or reads the
//      environment or the clock;
//   2. a metric or recording-rule name is written only in the catalog (config/metrics.ts,
//      config/recordings.ts), and a job selector only in the config;
//   3. workspaces keep to their room: no module under exporters/ or reference-app/ imports
//      scripts/ or a relative path outside its workspace (tests may reach test/support only);
//   4. the published library does not import the dev tools, the test support or the workspaces.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allMetrics, seriesNames } from '../config/metrics.js';
import { allRecordings } from '../config/recordings.js';

const root = resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', 'build', 'dist', '.git', 'coverage', '.tmp']);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const rel = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

const all = sources('.').map((f) => relative(root, resolve(root, f)));
const isTest = (f: string) => /\.test(-d)?\.ts$/.test(f) || f.startsWith('test/');
const text = (f: string) => readFileSync(join(root, f), 'utf8');

/** Import specifiers of a file (static, dynamic and re-exports), with their line numbers. */
function imports(f: string): Array<{ spec: string; line: number }> {
  const out: Array<{ spec: string; line: number }> = [];
  text(f)
    .split('\n')
    .forEach((l, i) => {
      for (const m of l.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/g)) {
        out.push({ spec: m[1]!, line: i + 1 });
      }
    });
  return out;
}

/**
 * The contents of string and template literals of a TypeScript file, comments left out, each
 * with its line. A small lexer: enough for this codebase's sources (regex literals are read as
 * code, which only matters for a quote inside one).
 */
function literals(src: string): Array<{ value: string; line: number }> {
  const out: Array<{ value: string; line: number }> = [];
  let line = 1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\n') line++;
    else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      line++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      line += (src.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 1;
    } else if (c === "'" || c === '"' || c === '`') {
      const start = line;
      let value = '';
      for (i++; i < src.length && src[i] !== c; i++) {
        if (src[i] === '\\') value += src[++i];
        else {
          if (src[i] === '\n') line++;
          value += src[i];
        }
      }
      out.push({ value, line: start });
    }
  }
  return out;
}

const where = (f: string, line: number, what: string) => `${f}:${line}: ${what}`;

describe('house rules', () => {
  it('1. builders (config/, dashboards/, alerts/) do no I/O and read neither the environment nor the clock', () => {
    const ioModules =
      /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|os|dgram|dns|tls|worker_threads|cluster|readline|process)$/;
    const ioPackages = /^(ioredis|pg|express|pino|prom-client|autocannon)$/;
    const problems: string[] = [];
    for (const f of all.filter((f) => /^(config|dashboards|alerts)\//.test(f) && !isTest(f))) {
      for (const { spec, line } of imports(f)) {
        if (ioModules.test(spec) || ioPackages.test(spec)) problems.push(where(f, line, `imports ${spec}`));
        // The runtime's pure duration parser is the one exception builders may share.
        if (
          /\/(scripts|test|exporters|reference-app)\//.test(spec) ||
          (/\/runtime\//.test(spec) && !spec.endsWith('/runtime/duration.js'))
        ) {
          problems.push(
            where(
              f,
              line,
              `imports ${spec} (builders may import config/, dashboards/, alerts/, validate/ and runtime/duration only)`,
            ),
          );
        }
      }
      text(f)
        .split('\n')
        .forEach((l, i) => {
          const code = l.replace(/\/\/.*$/, '');
          if (/\bprocess\.(env|argv|cwd|hrtime)|\bDate\.now\(|\bnew Date\(\s*\)|\bperformance\.now\(/.test(code)) {
            problems.push(where(f, i + 1, `reads the environment or the clock: ${l.trim()}`));
          }
        });
    }
    expect(problems).toEqual([]);
  });

  it('2. metric and recording-rule names are written only in the catalog, job selectors only in the config', () => {
    const names = [...allMetrics.flatMap((m) => seriesNames(m)), ...allRecordings().map((r) => r.name)].sort(
      (a, b) => b.length - a.length,
    );
    // Names that are also words (`up`, `ALERTS`) count only before a selector: `up{job=...}`.
    const words = names.filter((n) => !/[_:]/.test(n));
    const escapeRe = (n: string) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const nameRe = new RegExp(
      `(?<![\\w:])(${names
        .filter((n) => /[_:]/.test(n))
        .map(escapeRe)
        .join('|')})(?![\\w:])|^(${words.map(escapeRe).join('|')})\\{`,
    );
    const catalog = new Set([
      'config/metrics.ts',
      'config/metrics-redis.ts',
      'config/metrics-postgres.ts',
      'config/metrics-containers.ts',
      'config/recordings.ts',
      // Synthetic third-party rule files for the validate benchmark: realistic names on purpose.
      'scripts/dev/bench/validate.ts',
    ]);
    const problems: string[] = [];
    // A check's bad and good examples are users' files, not ours: any metric, any selector.
    const examples = (f: string) => f.startsWith('validate/checks/') || f === 'validate/dashboard/example.ts';
    for (const f of all.filter((f) => !isTest(f) && !catalog.has(f) && !examples(f))) {
      for (const { value, line } of literals(text(f))) {
        const m = nameRe.exec(value);
        if (m) problems.push(where(f, line, `metric name "${m[1] ?? m[2]}" in a literal: take it from the catalog`));
        if (!f.startsWith('config/') && !catalog.has(f) && /\bjob\s*=~?\s*\\?"(?!\$)/.test(value)) {
          problems.push(
            where(f, line, `job selector in a literal: "${value.slice(0, 60)}" (selectors come from the config)`),
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('3. workspaces import the library by package name and never reach into scripts/ or another room', () => {
    const problems: string[] = [];
    for (const f of all.filter((f) => /^(exporters\/redis-queue|reference-app)\//.test(f))) {
      const workspace = f.startsWith('reference-app/') ? 'reference-app' : 'exporters/redis-queue';
      for (const { spec, line } of imports(f)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(root, resolve(root, f, '..', spec));
        if (target.startsWith(`${workspace}/`)) continue;
        if (isTest(f) && target.startsWith('test/support/')) continue;
        problems.push(
          where(
            f,
            line,
            `imports ${spec} (${target}) outside its workspace: use voting-mixin, voting-mixin/runtime or voting-mixin/instrument`,
          ),
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('4. the published library imports neither the dev tools, the test support nor the workspaces', () => {
    const published =
      /^(index\.ts|config\/|dashboards\/|alerts\/|validate\/|runtime\/|instrument\/|scripts\/(cli\.ts|commands\/|lib\/))/;
    const problems: string[] = [];
    for (const f of all.filter((f) => published.test(f) && !isTest(f))) {
      for (const { spec, line } of imports(f)) {
        const target = spec.startsWith('.') ? relative(root, resolve(root, f, '..', spec)) : spec;
        if (/^(scripts\/dev|test)\/|^(exporters|reference-app)\/|^@voting-mixin\//.test(target)) {
          problems.push(where(f, line, `imports ${spec}: the package would need what it does not ship`));
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
