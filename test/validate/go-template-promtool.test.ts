// Alert label/annotation templates: our template/syntax verdict agrees with `promtool check rules`,
// run live (Go's text/template parse package as Prometheus sets it up). Each template goes into
// its own rule file; one promtool run checks them all.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { validateFiles } from '../../validate/engine.js';
import { checkGoTemplate } from '../../validate/go-template.js';

const CASES: readonly string[] = [
  // Pipeline stages after the first must be executable (not bool/dot/nil/number/string).
  '{{ 1 | 2 }}',
  '{{ $labels.job | printf "%s" | 3 }}',
  '{{ 1 | . }}',
  '{{ 1 | nil }}',
  '{{ 1 | true }}',
  '{{ 1 | "s" }}',
  "{{ 1 | 'a' }}",
  '{{ 1 | $value }}',
  '{{ 1 | (2) }}',
  '{{ (1) | 2 }}',
  '{{ 1 | .Foo }}',
  '{{ . | 1 }}',
  '{{ 1 | not | 2 }}',
  '{{ if 1 | 2 }}{{end}}',
  '{{ template "a" 1 | 2 }}',
  '{{ printf "%s" 1 | len }}',
  '{{ $labels.job | }}',
  '{{ 1 | | 2 }}',
  // Lexing: bad characters after names, character constants, strings.
  '{{ $labels."job" }}',
  '{{ $labels.job"x" }}',
  "{{ 'ab' }}",
  "{{ '' }}",
  "{{ 'a' }}",
  "{{ '\\n' }}",
  "{{ '\\400' }}",
  "{{ '\"' }}",
  "{{ '\\u00e9' }} {{ '\\xff' }} {{ 'é' }}",
  '{{ "\\q" }}',
  '{{ "\\x4" }}',
  '{{ # }}',
  '{{ 1 :}}',
  '{{ 1(2) }}',
  '{{ "a".x }}',
  '{{ (1).x }}',
  '{{ $labels .job }}',
  '{{ .a.b }}',
  '{{ $.x }}',
  '{{ .x.1 }}',
  '{{ ._x }}',
  '{{ $_ }}',
  '{{ true }}',
  '{{ nil }}',
  '{{ 1 .x }}',
  '{{ $labels.job.x }}',
  '{{ printf if }}',
  '{{ ( ) }}',
  // Numbers as Go's lexer and strconv read them.
  '{{ 0b101 }} {{ 0o17 }} {{ 0x1p-2 }}',
  '{{ 1_000 }} {{ 1i }} {{ 0x_1F }} {{ 1e3i }}',
  '{{ 1.2.3 }}',
  '{{ 08 }}',
  '{{ 0x }}',
  '{{ 1__0 }}',
  '{{ _1 }}',
  '{{ 1e }}',
  '{{ 0b2 }}',
  '{{ 09.5 }}',
  '{{ 0_7 }}',
  '{{ 1. }}',
  '{{ .5 }}',
  '{{ 0x1p }}',
  '{{ 0x1.8 }}',
  '{{ -1 }}',
  '{{ +1 }}',
  '{{ - }}',
  '{{ 1x }}',
  '{{ 1.e5 }}',
  '{{ 0X1P+2 }}',
  '{{ 1_ }}',
  '{{ 08i }}',
  '{{ 0o8 }}',
  '{{ 1e400 }}',
  '{{ 99999999999999999999 }}',
  '{{ 0x1P-2i }}',
  '{{ 1_000.5 }}',
  '{{ 0x_1p2 }}',
  '{{ 1e1_0 }}',
  '{{ 0b }}',
  '{{ 0_ }}',
  '{{ 00 }}',
  '{{ 0.e1 }}',
  // Comments touch the delimiters.
  '{{ /* c */ }}',
  '{{/* c */}}',
  '{{- /* c */ -}}',
  '{{-  /* c */}}',
  '{{/* c */ }}',
  '{{/* c */ -}}',
  // define/block names, duplicates, placement.
  '{{ define "a" }}x{{ end }}{{ define "a" }}y{{ end }}',
  '{{ define "a" }}{{ end }}{{ define "a" }}{{ end }}',
  '{{ define "a" }} {{ end }}{{ define "a" }}y{{ end }}',
  '{{ block "b" 1 }}x{{ end }}{{ define "b" }}y{{ end }}',
  '{{ if true }}{{ define "a" }}x{{ end }}{{ end }}',
  '{{ define "a" }}{{ $labels }}{{ end }}',
  '{{ template "a" }}',
  // Declarations, range, break/continue, else.
  '{{ range $k, $v, $z := $labels }}{{ end }}',
  '{{ range $a, 1 }}{{end}}',
  '{{ range $a, $b := $labels }}{{ break }}{{ end }}',
  '{{ range $i := $labels }}{{ $i }}{{ end }}',
  '{{ range $x, $y = $labels }}{{end}}',
  '{{ $a, $b := 1 }}',
  '{{ $x := 1 }}{{ $x, $y := 2 }}',
  '{{ $x = 1 }}',
  '{{ range $labels }}{{ break 1 }}{{ end }}',
  '{{ range $labels }}{{ continue 1 }}{{ end }}',
  '{{ break }}',
  '{{ continue }}',
  '{{ with $labels }}{{ break }}{{ end }}',
  '{{ range $labels }}{{ with 1 }}{{ continue }}{{ end }}{{ end }}',
  '{{ range $labels }}{{ else }}{{ break }}{{ end }}',
  '{{ with 1 }}{{ else with 2 }}{{ end }}',
  '{{if true}}{{$x := 1}}{{else}}{{$x}}{{end}}',
  '{{if true}}{{$x := 1}}{{end}}{{$x}}',
  '{{if 1}}{{else}}{{else}}{{end}}',
  '{{ if gt $value 1.0 }}{{ $labels.job }}{{ else if true }}x{{ else }}{{ index $labels "route" | toUpper }}{{ end }}',
  '{{ $value ',
  '{{ $foo }}',
  '{{ $value | humanise }}',
  '{{ end }}',
  '{{ if true }}x',
];

const tmp = mkdtempSync(join(tmpdir(), 'template-promtool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ruleFile = (annotations: Record<string, string>) =>
  `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations:\n${Object.entries(
    annotations,
  )
    .map(([k, v]) => `          ${k}: ${JSON.stringify(v)}\n`)
    .join('')}`;

async function promtoolValid(files: string[]): Promise<Map<string, boolean>> {
  const { stdout } = await promisify(execFile)('promtool', ['check', 'rules', ...files], {
    cwd: tmp,
    maxBuffer: 1 << 24,
  }).catch((e: { stdout: string; stderr: string }) => e);
  const verdicts = new Map<string, boolean>();
  for (const section of stdout.split(/^Checking /m).slice(1))
    verdicts.set(section.split('\n')[0]!, /^\s*SUCCESS/m.test(section));
  return verdicts;
}

describe('alert templates: our verdict agrees with promtool check rules', () => {
  const files = CASES.map((t, i) => {
    const file = `t${String(i).padStart(4, '0')}.yml`;
    writeFileSync(join(tmp, file), ruleFile({ x: t }));
    return file;
  });

  it('gives the same verdict as promtool on every template', async () => {
    const promtool = await promtoolValid(files);
    const result = await validateFiles(files.map((f) => ({ file: f, text: readFileSync(join(tmp, f), 'utf8') })));
    const disagreements = CASES.flatMap((t, i) => {
      const p = promtool.get(files[i]!);
      const errors = result.findings.filter((x) => x.file === files[i] && x.severity === 'error');
      const ours = errors.length === 0;
      return p === ours ? [] : [`${t}: promtool ${p}, ours ${ours} ${errors.map((e) => e.message).join('; ')}`];
    });
    expect(disagreements).toEqual([]);
    const invalid = [...promtool.values()].filter((v) => !v).length;
    expect(invalid).toBeGreaterThan(40);
    expect(promtool.size - invalid).toBeGreaterThan(30);
  });

  it('reports every bad annotation of a rule, not only the first', async () => {
    const text = ruleFile({ x: '{{ 1 | 2 }}', y: "{{ 'ab' }}", z: '{{ 0b2 }}', ok: '{{ 0b101 }}' });
    const { findings } = await validateFiles([{ file: 'multi.yml', text }]);
    const syntax = findings.filter((f) => f.id === 'template/syntax').map((f) => f.message);
    expect(syntax).toHaveLength(3);
    expect(syntax.join('\n')).toMatch(/"x".*stage 2[\s\S]*"y".*malformed[\s\S]*"z".*bad number/);
  });

  it('still collects $labels references for the dropped-label check', () => {
    const t = checkGoTemplate('{{ $labels.job }}{{ index $labels "route" | toUpper }}{{ $labels.a.b }}');
    expect(t.issues).toEqual([]);
    expect(t.labelRefs.map((r) => r.name)).toEqual(['job', 'route', 'a']);
  });
});
