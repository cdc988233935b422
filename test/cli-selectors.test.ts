// Selectors through the CLI as a team runs it: PromQL pasted where a label value belongs, or a regex
// nothing can be derived from, is a config error at its file:line:col with exit 2 and no stack
// trace; a regex team config builds, and its prometheus.yml job names satisfy the regexes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const cli = join(import.meta.dirname, '../build/scripts/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'cli-selectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(name: string, yaml: string) {
  writeFileSync(join(dir, name), yaml);
  const out = join(dir, `dist-${name}`);
  const r = spawnSync(process.execPath, [cli, 'build', '--config', name, '--out', out], { encoding: 'utf8', cwd: dir });
  return { ...r, out };
}
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('voting-mixin build with team selectors', () => {
  it.each([
    [
      'promql.yaml',
      `selectors:\n  vote:\n    job: '=~"vote.*"'\n`,
      /promql\.yaml:3:5: selectors\.vote\.job looks like PromQL/,
      "{ op: '=~', value: 'vote.*' }",
    ],
    [
      'underivable.yaml',
      `selectors:\n  worker:\n    job: { op: '=~', value: 'worker-\\pL+' }\n`,
      /underivable\.yaml:3:5: selectors\.worker\.job cannot derive/,
      'add example: <value>',
    ],
    [
      'example.yaml',
      `selectors:\n  vote:\n    job: { op: '=~', value: 'vote-(eu|us)', example: vote-asia }\n`,
      /example\.yaml:3:\d+: selectors\.vote\.job\.example "vote-asia" does not satisfy/,
      '',
    ],
  ])('%s: exit 2, the path at file:line:col, no stack trace, nothing written', (name, yaml, where, hint) => {
    const r = build(name, yaml);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(where);
    expect(r.stderr).toContain(hint);
    noStack(r.stderr);
    expect(existsSync(r.out)).toBe(false);
  });

  it('a regex, negative and multi-label team config builds; prometheus.yml job names satisfy the regexes', () => {
    const r = build(
      'team.yaml',
      `selectors:
  vote: { job: { op: '=~', value: 'vote-(eu|us)' }, namespace: prod, env: { op: '!=', value: staging } }
  worker: { job: { op: '=~', value: 'worker-[0-9]+' }, cluster: { op: '!~', value: 'dev|test' } }
  exporter: { job: my.exporter:1 }
queues:
  - { name: votes, key: votes, critical: 800 }
  - { name: jobs, key: "jobs:*", type: zset, warning: 20, critical: 50 }
`,
    );
    expect(r.status, r.stderr).toBe(0);
    noStack(r.stderr);
    const prom = parse(readFileSync(join(r.out, 'prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ labels?: Record<string, string> }> }>;
    };
    // In the order of prometheus.targets: vote, result, worker, exporter, postgres, …
    const [vote, , worker, exporter] = prom.scrape_configs;
    expect(vote!.job_name).toMatch(/^(?:vote-(eu|us))$/);
    expect(vote!.static_configs[0]!.labels).toEqual({ namespace: 'prod' });
    expect(worker!.job_name).toMatch(/^(?:worker-[0-9]+)$/);
    expect(exporter!.job_name).toBe('my.exporter:1');
    const check = spawnSync('promtool', ['check', 'config', join(r.out, 'prometheus/prometheus.yml')], {
      encoding: 'utf8',
    });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});
