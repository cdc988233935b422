/**
 * `npm run bench:validate`: the whole `voting-mixin validate` process (the package's bin) against
 * `promtool check rules` on the same files, in the same run: a CI tree of small rule files,
 * kube-prometheus's rendered rules, one generated file of 10,000 alerting rules (realistic
 * expressions and templated annotations) clean and with one finding, medians of several runs,
 * plus one run at 100,000 rules; peak memory of each process from /proc/<pid>/status VmHWM.
 * Prints one markdown section; --out FILE writes it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isEntryPoint } from '../../../runtime/index.js';
import { repoRoot } from '../repo-root.js';
import { benchMain } from './lib/bench-main.js';
import { type TimedRun, timedRun } from './lib/processes.js';
import { median } from './lib/stats.js';

const HELP = `Usage: npm run bench:validate [-- --out FILE] [--runs N] [--files N] [--rules N] [--big N]

Times \`voting-mixin validate\` against \`promtool check rules\` on a tree of --files small rule files
(default 200), kube-prometheus's rules (../shared/corpus, when present), a generated file of --rules
alerting rules (default 10000) clean and with one finding (medians of --runs runs, default 5), and
--big rules (default 100000, one run; 0 skips it).
`;

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

/**
 * A CI tree of small rule files, as teams keep them (one file per service or mixin): `count`
 * files of 3 to 8 rules each, names unique across the tree.
 */
export function smallRuleFiles(count: number): { name: string; text: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `service-${String(i).padStart(3, '0')}.rules.yml`,
    text: ruleFile(3 + (i % 6))
      .replaceAll('generated-', `service-${i}-`)
      .replaceAll('GeneratedCondition', `Service${i}Condition`),
  }));
}

type Run = TimedRun;
const timed = timedRun;

/** The command a user runs: the package's bin (`npx voting-mixin`). */
function bin(): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return join(repoRoot(), pkg.bin['voting-mixin']!);
}

/** Both tools on the same input, `runs` times each, alternating so background load hits both alike. */
async function compare(ours: string[], peer: string[], runs: number): Promise<{ ours: Run; peer: Run }> {
  const a: Run[] = [];
  const b: Run[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(await timed(process.execPath, [bin(), 'validate', ...ours]));
    b.push(await timed('promtool', ['check', 'rules', ...peer]));
  }
  const pick = (rs: Run[]): Run => ({
    ms: median(rs.map((r) => r.ms)),
    peakKb: Math.max(...rs.map((r) => r.peakKb)),
  });
  return { ours: pick(a), peer: pick(b) };
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
/** A row: measure | ours | promtool | ratio (✓ when within target) | target. */
function row(measure: string, r: { ours: Run; peer: Run }, target?: number): string {
  const ratio = r.ours.ms / r.peer.ms;
  const mark = target === undefined ? '' : ratio <= target ? ' ✓' : ' ✗';
  return `| ${measure} | ${secs(r.ours.ms)} | ${secs(r.peer.ms)} | ${ratio.toFixed(2)}${mark} | ${target === undefined ? 'report' : `≤ ${target.toFixed(2)}`} |`;
}

/** kube-prometheus's rendered rules (the real-world corpus beside the repository), when present. */
function kubePrometheusRules(): string | undefined {
  const dir = resolve(repoRoot(), '../shared/corpus/kube-prometheus/rules/plain');
  return existsSync(dir) ? dir : undefined;
}

async function measure(args: { runs: number; rules: number; big: number; files: number }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-validate-'));
  try {
    const { runs, rules: n, big } = args;
    const rows: string[] = [];
    // Where CI runs it: a tree of small files (start-up and per-file cost dominate).
    const tree = join(dir, 'tree');
    mkdirSync(tree);
    const small = smallRuleFiles(args.files);
    for (const f of small) writeFileSync(join(tree, f.name), f.text);
    const treeFiles = small.map((f) => join(tree, f.name));
    let treeRules = small.reduce((k, f) => k + (f.text.match(/^ {6}- alert:/gm)?.length ?? 0), 0);
    // The real rule files join the generated ones in the same tree, as a repository would hold them.
    const kube = kubePrometheusRules();
    if (kube) {
      mkdirSync(join(tree, 'kube-prometheus'));
      for (const f of readdirSync(kube).filter((x) => /\.ya?ml$/.test(x))) {
        const text = readFileSync(join(kube, f), 'utf8');
        writeFileSync(join(tree, 'kube-prometheus', f), text);
        treeFiles.push(join(tree, 'kube-prometheus', f));
        treeRules += text.match(/^\s*(?:- )?(?:alert|record):/gm)?.length ?? 0;
      }
    }
    rows.push(
      row(
        `CI tree: ${small.length} small rule files${kube ? ' + kube-prometheus’s rule files' : ''} (${treeFiles.length} files, ${treeRules.toLocaleString('en')} rules), wall time (median of ${runs})`,
        await compare([tree], treeFiles, runs),
        1,
      ),
    );
    if (kube) {
      const files = readdirSync(kube)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(kube, f));
      const kubeRules = files.reduce(
        (k, f) => k + (readFileSync(f, 'utf8').match(/^\s*(?:- )?(?:alert|record):/gm)?.length ?? 0),
        0,
      );
      const k = await compare([kube], files, runs);
      // Eight files alone: the run is about Node's start-up, reported beside what Node costs bare.
      rows.push(
        row(
          `kube-prometheus rules alone (${files.length} files, ${kubeRules} rules), wall time (median of ${runs})`,
          k,
        ),
      );
      // What no Node program gets under: the runtime's own start-up, beside the same promtool run.
      const bare: Run[] = [];
      for (let i = 0; i < runs; i++) bare.push(await timed(process.execPath, ['-e', '0']));
      rows.push(
        row('Node start-up alone (`node -e 0`), same promtool run', {
          ours: { ms: median(bare.map((r) => r.ms)), peakKb: 0 },
          peer: k.peer,
        }),
      );
    }
    const clean = join(dir, `rules-${n}.yml`);
    writeFileSync(clean, ruleFile(n));
    const a = await compare([clean], [clean], runs);
    rows.push(
      row(`${n.toLocaleString('en')} alerting rules, clean, wall time (median of ${runs})`, a, 0.5),
      `| ${n.toLocaleString('en')} alerting rules, peak RSS | ${(a.ours.peakKb / 1024).toFixed(0)} MiB | ${(a.peer.peakKb / 1024).toFixed(0)} MiB | ${(a.ours.peakKb / a.peer.peakKb).toFixed(2)} | report |`,
    );
    // The other side of the fast path: a finding must be placed (file:line:col).
    const flawed = join(dir, `rules-${n}-one-warning.yml`);
    const flawedText = ruleFile(n).split('\n');
    const last = flawedText.lastIndexOf('          severity: critical');
    flawedText[last] = '          severity: urgent';
    writeFileSync(flawed, flawedText.join('\n'));
    rows.push(
      row(
        `${n.toLocaleString('en')} alerting rules with one lint warning, wall time (median of ${runs})`,
        await compare([flawed], [flawed], runs),
        0.7,
      ),
    );
    if (big > 0) {
      const large = join(dir, `rules-${big}.yml`);
      writeFileSync(large, ruleFile(big));
      const b = await compare([large], [large], 1);
      rows.push(
        row(`${big.toLocaleString('en')} alerting rules, wall time (1 run)`, b),
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
      `Whole processes, same files, same run, alternating: the package's bin (\`npx voting-mixin validate\`, the bundled CLI; positions, PromQL semantics, templates and every rule lint on) vs \`promtool check rules FILES\`. The CI tree: ${small.length} generated files of 3 to 8 alerts each plus kube-prometheus's rendered rule files (where start-up and per-file cost dominate); kube-prometheus alone: its rendered rule files (\`../shared/corpus/kube-prometheus/rules/plain\`; promtool reports one duplicate there as a lint error and exits 0, we report lint warnings; promtool's whole run there is about Node's own start-up, \`node -e 0\`, so no Node program can reach 1.0 on it). Rules: 5 realistic alert shapes (error ratio, histogram_quantile, up, queue growth, predict_linear) with templated annotations. The one-warning file has its finding in the last rule: it is placed from that rule's lines alone (found by the fast loader), not from a second parse of the file. Peak memory is VmHWM from /proc polled every 10 ms. Node ${process.version}.`,
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
      runs: { kind: 'int', default: 5, min: 1, help: 'runs of each measure (median)' },
      files: { kind: 'int', default: 200, min: 1, help: 'small rule files in the tree' },
      rules: { kind: 'int', default: 10_000, min: 1, help: 'rules in the main file' },
      big: { kind: 'int', default: 100_000, min: 0, help: 'rules in the big file (0: skip)' },
    },
    run: measure,
  });
}
