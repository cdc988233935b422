// validate against the world: every file of ../shared/corpus (real files from Prometheus,
// Alertmanager, kube-prometheus and redis_exporter) gets the verdict the real tool gives it,
// run live in this test: promtool check rules / check config / test rules, amtool check-config.
// Dashboards: Grafana loads every one of them, so any error-level finding is a false error.
// Where the Debian tools (Prometheus 2.42, Alertmanager 0.25) are older than the corpus and
// upstream's own expectation differs, upstream wins: each such case is in SKEW, with its reason.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFiles } from '../../validate/engine.js';
import { resolveRuleFilesFromDisk as resolveFromDisk } from '../../validate/files.js';
import type { Finding } from '../../validate/finding.js';
import { amtoolCheckConfig, mapLimit, promtoolCheckRules, type Verdict } from '../support/index.js';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus');

type Klass = 'rules' | 'rules-crd' | 'alertmanager' | 'dashboard' | 'promtool-tests' | 'prometheus-config' | 'file-sd';

interface Skew {
  /** Path under the corpus. */
  file: string;
  /** The Debian tool's verdict. */
  tool: 'loads' | 'refused';
  /** Upstream's (the corpus's own expectation: file name, expected.tsv, the Go test). Ours follows it. */
  upstream: 'loads' | 'refused';
  reason: string;
}

/** Every case where we follow upstream rather than the older Debian tool. */
const SKEW: Skew[] = [
  {
    file: 'alertmanager-testdata/conf.mattermost-default-webhook-url-file.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'mattermost receiver and global mattermost_webhook_url_file are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/conf.mattermost-default-webhook-url.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'mattermost receiver and global mattermost_webhook_url are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/conf.rocketchat-default-token-file.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'rocketchat receiver and its global token files are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/conf.rocketchat-default-token.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'rocketchat receiver and its global tokens are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/conf.slack-default-app-token.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'slack app_token/app_url and global slack_app_token are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/conf.smtp-password-global-and-local.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'smtp_auth_secret_file/auth_secret_file are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/conf.telegram-default-bot-token-file.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'global telegram_bot_token_file and bot_token_file are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/conf.telegram-default-bot-token.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'global telegram_bot_token is newer than Alertmanager 0.25 (0.25 wants bot_token in every telegram_config)',
  },
  {
    file: 'alertmanager-testdata/conf.wechat-default-api-secret-file.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'wechat_api_secret_file/api_secret_file are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/inline-TestEventRecorderWebhookBatchingConfig.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'top-level event_recorder is newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/inline-TestMSTeamsV2GlobalProxyInheritedWhenNoLocalHTTPConfig.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'msteamsv2 receiver is newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/inline-TestMSTeamsV2GlobalProxyInheritedWhenPartialHTTPConfig.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'msteamsv2 receiver is newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/inline-TestMSTeamsV2LocalProxyTakesPrecedence.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'msteamsv2 receiver is newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/inline-TestReceiverLabelsAllowsHyphensAndUTF8.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'receiver labels are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/inline-TestReceiverLabelsNameMatchesExplicitly.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'receiver labels are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/inline-TestReceiverLabelsPreservesUserLabels.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'receiver labels are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/inline-TestRouteLabelsValidLabelName.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'route labels are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/examples/doc-examples-route_labels.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'route labels are newer than Alertmanager 0.25',
  },
  {
    file: 'alertmanager-testdata/examples/doc-examples-simple.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'top-level tracing is newer than Alertmanager 0.25',
  },
  {
    file: 'prometheus-rulefmt/inline-template-2.good.yaml',
    tool: 'refused',
    upstream: 'loads',
    reason:
      'group-level labels are newer than Prometheus 2.42 (Prometheus 3; rulefmt TestTemplateParsing expects it to pass)',
  },
  {
    file: 'prometheus-rulefmt/utf-8_lname.good.yaml',
    tool: 'refused',
    upstream: 'loads',
    reason:
      "UTF-8 label names are valid under Prometheus 3's default UTF-8 name validation; 2.42 only knows the legacy scheme (ours: lint/utf8-name warning)",
  },
  {
    file: 'prometheus-rulefmt/utf-8_annotation.good.yaml',
    tool: 'refused',
    upstream: 'loads',
    reason:
      "UTF-8 annotation names are valid under Prometheus 3's default UTF-8 name validation; 2.42 only knows the legacy scheme (ours: lint/utf8-name warning)",
  },
  {
    file: 'prometheus-rulefmt/legacy_validation_annotation.bad.yaml',
    tool: 'refused',
    upstream: 'loads',
    reason:
      'byte-identical to utf-8_annotation.good.yaml: upstream calls it bad only when rulefmt runs with the legacy name validation scheme; under the default (UTF-8) scheme it loads. Ours follows the default and warns (lint/utf8-name; --strict refuses it)',
  },
  {
    file: 'promtool-testdata/prometheus-aws-sd-empty-region.good.yml',
    tool: 'refused',
    upstream: 'loads',
    reason:
      'AWS SD configs without region are accepted since prometheus#6092 was fixed (region from IMDS at run time); 2.42 requires it while parsing',
  },
  {
    file: 'promtool-testdata/rules_run_fuzzy.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'fuzzy_compare in unit-test files is newer than promtool 2.42',
  },
  {
    file: 'promtool-testdata/rules_run_no_fuzzy.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'fuzzy_compare in unit-test files is newer than promtool 2.42',
  },
  {
    file: 'promtool-testdata/start-time-test.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'start_timestamp in unit-test groups is newer than promtool 2.42',
  },
  {
    file: 'promtool-testdata/unittest.yml',
    tool: 'refused',
    upstream: 'loads',
    reason: 'histogram in exp_samples (native histograms in unit tests) is newer than promtool 2.42',
  },
];

interface Case {
  file: string;
  klass: Klass;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The class a corpus file belongs to, from where it comes from and (in promtool's mixed folder) its top keys. */
function classify(abs: string): Klass | undefined {
  const rel = relative(CORPUS, abs);
  if (rel.startsWith('prometheus-rulefmt/') || rel.startsWith('kube-prometheus/rules/plain/')) return 'rules';
  if (rel.startsWith('kube-prometheus/rules/crd/')) return 'rules-crd';
  if (rel.startsWith('alertmanager-testdata/')) return rel.endsWith('.tsv') ? undefined : 'alertmanager';
  if (rel.endsWith('.json')) return 'dashboard';
  if (rel.startsWith('promtool-testdata/')) {
    const text = readFileSync(abs, 'utf8');
    if (/^tests:/m.test(text)) return 'promtool-tests';
    if (/^groups:/m.test(text)) return 'rules';
    if (/^- /m.test(text)) return 'file-sd';
    return 'prometheus-config';
  }
  return undefined;
}

const cases: Case[] = walk(CORPUS)
  .sort()
  .flatMap((abs) => {
    const klass = classify(abs);
    return klass ? [{ file: relative(CORPUS, abs), klass }] : [];
  });

const run = promisify(execFile);
let scratch: string;
const reference = new Map<string, Verdict>();

/** `promtool test rules`: refused = it could not load the file (a test that runs and fails is a loaded file). */
async function promtoolTestLoads(file: string): Promise<Verdict> {
  const abs = join(CORPUS, file);
  // TMPDIR: promtool 2.42 leaves its test_storage* folder behind when a test group fails to load;
  // in our scratch folder it goes with it.
  const { stdout, stderr } = await run('promtool', ['test', 'rules', basename(abs)], {
    cwd: dirname(abs),
    env: { ...process.env, TMPDIR: scratch },
  }).catch((e: { stdout: string; stderr: string }) => e);
  const out = `${stdout}${stderr}`;
  const after = out.split(/^\s*FAILED:\n/m)[1];
  // Load errors are printed flush left; failed assertions and evaluation errors are indented.
  const firstLine = after?.split('\n').find((l) => l.trim());
  return firstLine && !/^\s/.test(firstLine) ? { ok: false, message: firstLine } : { ok: true, message: '' };
}

async function promtoolCheckConfig(file: string): Promise<Verdict> {
  const abs = join(CORPUS, file);
  try {
    await run('promtool', ['check', 'config', '--syntax-only', basename(abs)], { cwd: dirname(abs) });
    return { ok: true, message: '' };
  } catch (e) {
    const out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
    return { ok: false, message: out.split('\n').find((l) => /FAILED|error/i.test(l)) ?? out.trim() };
  }
}

/** A PrometheusRule is judged by promtool on its `spec` written out as a plain rule file. */
function crdSpecFile(file: string): string {
  const spec = (load(readFileSync(join(CORPUS, file), 'utf8')) as { spec?: unknown }).spec;
  const out = join(scratch, basename(file));
  writeFileSync(out, JSON.stringify(spec ?? {}));
  return out;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'vm-corpus-'));
  const byClass = (k: Klass) => cases.filter((c) => c.klass === k).map((c) => c.file);
  for (const [f, v] of await promtoolCheckRules(byClass('rules'), CORPUS)) reference.set(f, v);
  const crds = byClass('rules-crd');
  const specs = new Map(crds.map((f) => [crdSpecFile(f), f]));
  for (const [f, v] of await promtoolCheckRules([...specs.keys()])) reference.set(specs.get(f)!, v);
  const live = async (files: string[], check: (f: string) => Promise<Verdict>) => {
    const verdicts = await mapLimit(files, 2, check);
    files.forEach((f, i) => {
      reference.set(f, verdicts[i]!);
    });
  };
  await live(byClass('alertmanager'), (f) => amtoolCheckConfig(join(CORPUS, f)));
  await live(byClass('promtool-tests'), promtoolTestLoads);
  await live(byClass('prometheus-config'), promtoolCheckConfig);
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Our verdict: the file given alone, as a user would (`voting-mixin validate FILE`). */
async function ours(file: string): Promise<{ ok: boolean; errors: Finding[]; kinds: string[] }> {
  const abs = join(CORPUS, file);
  const res = await validateFiles([{ file: abs, text: readFileSync(abs, 'utf8'), named: true }], {
    resolveRuleFiles: resolveFromDisk,
  });
  const errors = res.findings.filter((f) => f.severity === 'error');
  return { ok: errors.length === 0, errors, kinds: res.files.flatMap((f) => f.kinds) };
}

function expected(c: Case): { ok: boolean; why: string } {
  const skew = SKEW.find((s) => s.file === c.file);
  if (skew) return { ok: skew.upstream === 'loads', why: `upstream (skew: ${skew.reason})` };
  if (c.klass === 'dashboard') return { ok: true, why: 'Grafana loads it' };
  if (c.klass === 'file-sd')
    return { ok: !/bad/.test(c.file), why: 'the file name (promtool checks SD files only through a config)' };
  const v = reference.get(c.file);
  if (!v) throw new Error(`no reference verdict for ${c.file}`);
  return { ok: v.ok, why: v.ok ? 'the tool loads it' : `the tool refuses it: ${v.message}` };
}

describe('the real-world corpus', () => {
  it('is there, and every folder is covered', () => {
    expect(existsSync(CORPUS), `${CORPUS} (../shared/corpus beside the repository)`).toBe(true);
    const counts = Object.fromEntries(
      (['rules', 'rules-crd', 'alertmanager', 'dashboard', 'promtool-tests', 'prometheus-config'] as const).map((k) => [
        k,
        cases.filter((c) => c.klass === k).length,
      ]),
    );
    for (const [k, n] of Object.entries(counts)) expect(n, k).toBeGreaterThan(0);
  });

  it('every skew case names a corpus file and really is a disagreement with the tool', () => {
    for (const s of SKEW) {
      const c = cases.find((x) => x.file === s.file);
      expect(c, s.file).toBeDefined();
      expect(s.tool, s.file).not.toBe(s.upstream);
      const v = reference.get(s.file);
      if (v) expect(v.ok ? 'loads' : 'refused', `${s.file}: the Debian tool's verdict`).toBe(s.tool);
    }
    // Alertmanager's own expectations, where it states them, are what we follow.
    const tsv = readFileSync(join(CORPUS, 'alertmanager-testdata/expected.tsv'), 'utf8');
    for (const line of tsv.split('\n').filter(Boolean)) {
      const [name, verdict] = line.split('\t');
      const file = `alertmanager-testdata/${name}`;
      const v = reference.get(file);
      const skew = SKEW.find((s) => s.file === file);
      const tool = v?.ok ? 'ok' : 'fail';
      if (tool !== verdict)
        expect(skew, `${file}: amtool says ${tool}, upstream ${verdict}: needs a SKEW row`).toBeDefined();
    }
  });

  it('gives every file the verdict of the real tool (or upstream, in SKEW)', async () => {
    const disagreements: string[] = [];
    for (const c of cases) {
      const want = expected(c);
      const got = await ours(c.file);
      if (got.ok !== want.ok)
        disagreements.push(
          `${c.file} [${c.klass}]: ${want.why} but ours ${
            got.ok
              ? 'passes it'
              : `reports ${got.errors.map((e) => `${e.id} ${e.position?.line ?? ''}: ${e.message}`).join('; ')}`
          }`,
        );
    }
    expect(disagreements).toEqual([]);
  });

  it('recognises every file: none skipped silently', async () => {
    const skipped: string[] = [];
    for (const c of cases) {
      const got = await ours(c.file);
      // An unrecognised file given by name is an error (detect/not-recognised), never a skip.
      if (got.kinds.includes('unknown') && !got.errors.some((e) => e.id === 'detect/not-recognised'))
        skipped.push(c.file);
    }
    expect(skipped).toEqual([]);
  });
});
