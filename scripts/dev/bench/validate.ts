/**
 * `npm run bench:validate`: the whole `voting-mixin validate FILE` process against `promtool
 * check rules FILE` on the same generated rule file (10,000 alerting rules, realistic expressions
 * and templated annotations), median of several runs, plus one run at 100,000 rules; peak memory
 * of each process from /proc/<pid>/status VmHWM. Prints one markdown section; --out FILE writes it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEntryPoint } from '../../../runtime/index.js';
import { repoRoot } from '../repo-root.js';
import { benchMain } from './lib/bench-main.js';
import { type TimedRun, timedRun } from './lib/processes.js';
import { median } from './lib/stats.js';

const HELP = `Usage: npm run bench:validate [-- --out FILE] [--runs N] [--rules N] [--big N]

Times \`voting-mixin validate\` against \`promtool check rules\` on generated rule files of --rules
alerting rules (default 10000, median of --runs runs) and --big rules (default 100000, one run; 0 skips it).
`;
const cli = join(repoRoot(), 'build/scripts/cli.js');

const templates = [
  (k: number) => ({
    expr: `sum by (job, route) (rate(http_requests_total{job="vote-${k}", status=~"5.."}[5m]))\n  / sum by (job, route) (rate(http_requests_total{job="vote-${k}"}[5m])) > 0.05`,
    summary: '{{ $labels.job }} answers more than 5% of {{ $labels.route }} with 5xx',
    description: '{{ $labels.job }} error ratio on {{ $labels.route }} is {{ $value | humanizePercentage }} over 5m.',
  }),
  (k: number) => ({
    expr: `histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{job="vote-${k}"}[5m]))) > 0.5`,
    summary: '{{ $labels.job }} p95 latency above 500ms',
    description: 'p95 latency of {{ $labels.job }} is {{ $value | humanizeDuration }}.',
  }),
  (k: number) => ({
    expr: `up{job="worker-${k}"} == 0`,
    summary: '{{ $labels.instance }} of {{ $labels.job }} is down',
    description: 'Prometheus could not scrape {{ $labels.instance }} for 5 minutes.',
  }),
  (k: number) => ({
    expr: `max by (queue) (voting_queue_length{queue="votes-${k}"}) > 1000 and on (queue) deriv(voting_queue_length{queue="votes-${k}"}[10m]) > 0`,
    summary: 'queue {{ $labels.queue }} backlog is growing',
    description: '{{ $labels.queue }} holds {{ $value | humanize }} items and keeps growing.',
  }),
  (k: number) => ({
    expr: `predict_linear(process_resident_memory_bytes{job="vote-${k}"}[1h], 4 * 3600) > 2 * 1024 * 1024 * 1024`,
    summary: '{{ $labels.instance }} will run out of memory within 4h',
    description: '{{ $labels.instance }} is predicted to use {{ $value | humanize1024 }}B in 4 hours.',
  }),
];

export function ruleFile(n: number): string {
  const out: string[] = ['groups:'];
  for (let g = 0; g < Math.ceil(n / 100); g++) {
    out.push(`  - name: generated-${g}`, '    rules:');
    for (let i = 0; i < 100 && g * 100 + i < n; i++) {
      const k = g * 100 + i;
      const t = templates[k % templates.length]!(k);
      out.push(
        `      - alert: GeneratedCondition${k}`,
        '        expr: |',
        ...t.expr.split('\n').map((l) => `          ${l}`),
        `        for: ${5 + (k % 10)}m`,
        '        labels:',
        `          severity: ${k % 3 === 0 ? 'critical' : 'warning'}`,
        '          team: voting',
        '        annotations:',
        `          summary: "${t.summary}"`,
        `          description: "${t.description}"`,
        `          runbook_url: https://runbooks.example.com/GeneratedCondition${k}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

type Run = TimedRun;
const timed = timedRun;

async function compare(file: string, runs: number): Promise<{ ours: Run; peer: Run }> {
  const ours: Run[] = [];
  const peer: Run[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate so background load hits both sides alike.
    ours.push(await timed(process.execPath, [cli, 'validate', file]));
    peer.push(await timed('promtool', ['check', 'rules', file]));
  }
  const pick = (rs: Run[]): Run => ({
    ms: median(rs.map((r) => r.ms)),
    peakKb: Math.max(...rs.map((r) => r.peakKb)),
  });
  return { ours: pick(ours), peer: pick(peer) };
}

async function measure(args: { runs: number; rules: number; big: number }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-validate-'));
  try {
    const n = args.rules;
    const big = args.big;
    const runs = args.runs;
    const small = join(dir, `rules-${n}.yml`);
    writeFileSync(small, ruleFile(n));
    const a = await compare(small, runs);
    const rows = [
      `| ${n.toLocaleString('en')} alerting rules, wall time (median of ${runs}) | ${(a.ours.ms / 1000).toFixed(2)} s | ${(a.peer.ms / 1000).toFixed(2)} s | ${(a.ours.ms / a.peer.ms).toFixed(2)} | ≤ 1.00 |`,
      `| ${n.toLocaleString('en')} alerting rules, peak RSS | ${(a.ours.peakKb / 1024).toFixed(0)} MiB | ${(a.peer.peakKb / 1024).toFixed(0)} MiB | ${(a.ours.peakKb / a.peer.peakKb).toFixed(2)} | report |`,
    ];
    // The other side of the fast path: one finding makes the file pay for the positioned parse too.
    const flawed = join(dir, `rules-${n}-one-warning.yml`);
    writeFileSync(flawed, ruleFile(n).replace('severity: critical', 'severity: urgent'));
    const f = await compare(flawed, 1);
    rows.push(
      `| ${n.toLocaleString('en')} alerting rules with one lint warning, wall time (1 run) | ${(f.ours.ms / 1000).toFixed(2)} s | ${(f.peer.ms / 1000).toFixed(2)} s | ${(f.ours.ms / f.peer.ms).toFixed(2)} | report |`,
    );
    if (big > 0) {
      const large = join(dir, `rules-${big}.yml`);
      writeFileSync(large, ruleFile(big));
      const b = await compare(large, 1);
      rows.push(
        `| ${big.toLocaleString('en')} alerting rules, wall time (1 run) | ${(b.ours.ms / 1000).toFixed(2)} s | ${(b.peer.ms / 1000).toFixed(2)} s | ${(b.ours.ms / b.peer.ms).toFixed(2)} | report |`,
        `| ${big.toLocaleString('en')} alerting rules, peak RSS | ${(b.ours.peakKb / 1024).toFixed(0)} MiB | ${(b.peer.peakKb / 1024).toFixed(0)} MiB | ${(b.ours.peakKb / b.peer.peakKb).toFixed(2)} | report |`,
      );
    }
    const section = [
      '### validate vs promtool check rules',
      '',
      '| Measure | voting-mixin validate | promtool check rules 2.42 | Ratio | Target |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Whole processes, same generated file, same run, alternating: \`node build/scripts/cli.js validate FILE\` (positions, PromQL semantics, templates and every rule lint on) vs \`promtool check rules FILE\`. Rules: 5 realistic alert shapes (error ratio, histogram_quantile, up, queue growth, predict_linear) with templated annotations; both report the file clean (ours takes its fast path: js-yaml without positions, every check on plain values; a file with findings is parsed again with positions, the one-warning row). Peak memory is VmHWM from /proc polled every 10 ms. Node ${process.version}.`,
      '',
    ].join('\n');
    return section;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) {
  benchMain({
    name: 'bench:validate',
    help: HELP,
    flags: {
      runs: { kind: 'int', default: 3, min: 1, help: 'runs of the main size' },
      rules: { kind: 'int', default: 10_000, min: 1, help: 'rules in the main file' },
      big: { kind: 'int', default: 100_000, min: 0, help: 'rules in the big file (0: skip)' },
    },
    run: measure,
  });
}
