/**
 * `validate` without the CLI: files in, findings out. Each file is parsed once (YAML with
 * positions; JSON is YAML), its documents are recognised by shape and checked, then the
 * set-wide checks run, then `--disable` and inline disables, then `--strict`. Never throws on
 * bad input: a check that blows up becomes an `internal/error` finding on that file.
 */

import { loadAll } from 'js-yaml';
import type { Node } from 'yaml';
import { allMetrics, seriesNames } from '../config/metrics.js';
import { allRecordings } from '../config/recordings.js';
import { applySeverities } from './checks/registry.js';
import { FileContext, newSetFacts, type SetFacts, type ValidateOptions } from './context.js';
import { crossArtifactFindings } from './cross-artifact.js';
import { loadDashboardLinter } from './dashboard-adapter.js';
import { detectPlainKind, type FileKind } from './detect.js';
import { applyDisables } from './disable.js';
import { checkDocument, type DashboardLinter, type DocumentRun } from './documents.js';
import type { MetricList } from './exposition.js';
import type { Finding } from './finding.js';
import { checkRuleDocument } from './rules/check-rules.js';
import type { RuleInfo, SeenRules } from './rules/rule-info.js';
import { LazySource, parseSource } from './source/yaml-source.js';
import { applyPathRules, type PathRule } from './validate-config.js';

export interface InputFile {
  file: string;
  text: string;
  /**
   * Named on the command line (not found by walking a directory): a file that is none of the
   * kinds validate knows is then an error, not a skip.
   */
  named?: boolean;
}

export interface EngineOptions extends ValidateOptions {
  /** Check ids (or areas, or `all`) to switch off. */
  disable?: readonly string[];
  /** Severity per check id, over the registry's default (from the validate config). */
  severityOverrides?: ReadonlyMap<string, Finding['severity']>;
  /** Per-path disables and severities (the validate config's `paths:`), applied after severityOverrides. */
  pathRules?: readonly PathRule[];
  /** Warnings become errors. */
  strict?: boolean;
  /** From --metrics: every referenced metric must be in here. */
  metrics?: MetricList;
  /**
   * false: every file takes the positioned path (tests compare both paths). Default: rule files
   * are first checked on js-yaml's plain values and re-checked with positions only when they
   * have findings.
   */
  fastPath?: boolean;
  /** Reads what a promtool unit-test file's `rule_files` entry names (relative to it; globs allowed). */
  resolveRuleFiles?: DocumentRun['resolveRuleFiles'];
  /** Called after each file (for progress output). */
  onFile?: (done: number, total: number, file: string) => void;
}

export interface ValidateResult {
  findings: Finding[];
  files: { file: string; kinds: FileKind[]; rules: number }[];
}

const catalogKinds = (() => {
  const kinds = new Map<string, 'counter' | 'other'>();
  for (const d of [...allMetrics, ...allRecordings()]) {
    for (const s of seriesNames(d))
      kinds.set(s, d.type === 'counter' || (d.type === 'histogram' && s !== d.name) ? 'counter' : 'other');
  }
  return kinds;
})();

export async function validateFiles(inputs: readonly InputFile[], opts: EngineOptions = {}): Promise<ValidateResult> {
  const facts = newSetFacts();
  const sources = new Map<string, LazySource>();
  const findings: Finding[] = [];
  const files: ValidateResult['files'] = [];
  const seen = new Map<string, RuleInfo>();
  const seenCrd = new Map<string, RuleInfo>();
  const metricKind = opts.metricKind ?? ((name: string) => opts.metrics?.kinds.get(name) ?? catalogKinds.get(name));
  const ctxOpts: ValidateOptions = { ...opts, metricKind };
  const deferred: { file: string; run: (lint: DashboardLinter) => Finding[] }[] = [];
  // Unit-test files add the rule files they load: checked after the inputs, once each.
  const queue: InputFile[] = [...inputs];
  const queued = new Set(inputs.map((f) => f.file));
  for (let i = 0; i < queue.length; i++) {
    const input = queue[i]!;
    const entry = { file: input.file, kinds: [] as FileKind[], rules: 0 };
    files.push(entry);
    const lazy = new LazySource(input.file, input.text);
    sources.set(input.file, lazy);
    try {
      if (/\.json$/i.test(input.file)) {
        const jsonErr = jsonSyntax(input);
        if (jsonErr) {
          findings.push(jsonErr);
          continue;
        }
      } else if (opts.fastPath !== false && fastRuleFile(lazy, ctxOpts, facts, seen, seenCrd, entry, findings))
        continue;
      const { source, findings: syntax } = lazy.parse();
      findings.push(...syntax);
      if (syntax.length) continue;
      const run: DocumentRun = {
        seen,
        seenCrd,
        defer: (check) => deferred.push({ file: input.file, run: check }),
        named: input.named ?? false,
        ...(opts.resolveRuleFiles ? { resolveRuleFiles: opts.resolveRuleFiles } : {}),
        addFile: (file, text) => {
          if (queued.has(file)) return;
          queued.add(file);
          queue.push({ file, text, named: true });
        },
        kinds: entry.kinds,
        rules: 0,
      };
      source.docs.forEach((doc, d) => {
        const ctx = new FileContext(lazy, ctxOpts, facts, d);
        checkDocument(ctx, doc, (doc.contents ?? null) as Node | null, run);
        findings.push(...ctx.findings);
      });
      entry.rules += run.rules;
    } catch (e) {
      findings.push({
        id: 'internal/error',
        severity: 'error',
        file: input.file,
        message: `validator failed on this file: ${(e as Error).message}`,
      });
    } finally {
      opts.onFile?.(i + 1, queue.length, input.file);
    }
  }
  // Loaded only when there are dashboards: rule-only runs skip its schema and ajv.
  const lint = deferred.length ? await loadDashboardLinter() : undefined;
  for (const d of deferred) {
    try {
      findings.push(...d.run(lint));
    } catch (e) {
      findings.push({
        id: 'internal/error',
        severity: 'error',
        file: d.file,
        message: `dashboard check failed: ${(e as Error).message}`,
      });
    }
  }
  try {
    findings.push(...crossArtifactFindings(facts, { knownMetrics: opts.metrics?.names }));
  } catch (e) {
    findings.push({
      id: 'internal/error',
      severity: 'error',
      message: `cross-artifact checks failed: ${(e as Error).message}`,
    });
  }
  const withSeverities = applyPathRules(applySeverities(findings, opts.severityOverrides), opts.pathRules ?? []);
  let out = applyDisables(withSeverities, opts.disable ?? [], sources);
  if (opts.strict) out = out.map((f) => (f.severity === 'warning' ? { ...f, severity: 'error' } : f));
  return { findings: sortFindings(out), files };
}

/**
 * The fast path for the common case, a clean rule file: js-yaml (no positions, a fraction of the
 * time and garbage of a positioned parse) and every rule check on its plain values. Findings
 * carry a path; only a file that has some is parsed again with positions to place them.
 * Anything the fast path cannot judge (a js-yaml parse error, an alias, another kind of
 * document, a YAML error only the positioned parser sees) returns false, and the file takes
 * the positioned path from scratch; facts and duplicate-rule names are committed only on success.
 */
function fastRuleFile(
  lazy: LazySource,
  opts: ValidateOptions,
  facts: SetFacts,
  seen: Map<string, RuleInfo>,
  seenCrd: Map<string, RuleInfo>,
  entry: ValidateResult['files'][number],
  out: Finding[],
): boolean {
  let docs: unknown[];
  try {
    // Core schema like yaml's default; duplicate keys throw; aliases (which the positioned
    // path reports differently) throw too.
    docs = loadAll(lazy.text, { maxAliases: 0 });
  } catch {
    return false;
  }
  if (!docs.length) return false;
  const kinds = docs.map(detectPlainKind);
  if (!kinds.every((k) => k === 'rules' || k === 'prometheus-rule-crd')) return false;
  const local = newSetFacts();
  const added = new Map<string, RuleInfo>();
  const addedCrd = new Map<string, RuleInfo>();
  const overlay = (base: Map<string, RuleInfo>, add: Map<string, RuleInfo>): SeenRules => ({
    get: (k) => add.get(k) ?? base.get(k),
    set(k, v) {
      add.set(k, v);
      return this as never;
    },
  });
  let rules = 0;
  const withFindings: FileContext[] = [];
  for (let d = 0; d < docs.length; d++) {
    const ctx = new FileContext(lazy, opts, local, d, false);
    const crd = kinds[d] === 'prometheus-rule-crd';
    rules += checkRuleDocument(
      ctx,
      docs[d] as Record<string, unknown>,
      crd,
      crd ? overlay(seenCrd, addedCrd) : overlay(seen, added),
    );
    if (ctx.findings.length) withFindings.push(ctx);
  }
  if (withFindings.length) {
    // Findings need file:line:col: the positioned parse. Should it see the text differently
    // (a YAML error js-yaml let through), the positioned path decides alone.
    const { source, findings: syntax } = lazy.parse();
    if (syntax.length || source.docs.length !== docs.length) return false;
    for (const ctx of withFindings) {
      ctx.positionPending(source);
      out.push(...ctx.findings);
    }
  }
  for (const r of local.recordings) facts.recordings.add(r);
  for (const u of local.metricUses) facts.metricUses.push(u);
  for (const u of local.urls) facts.urls.push(u);
  for (const [k, v] of added) seen.set(k, v);
  for (const [k, v] of addedCrd) seenCrd.set(k, v);
  entry.kinds.push(...kinds);
  entry.rules += rules;
  return true;
}

function jsonSyntax(input: InputFile): Finding | undefined {
  try {
    JSON.parse(input.text);
    return undefined;
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    // Node 20 often gives no offset; YAML's parser (JSON is YAML) usually pinpoints the spot.
    const yamlErr = m ? undefined : parseSource(input.file, input.text).source.docs.flatMap((d) => d.errors)[0];
    const offset = m ? Number(m[1]) : (yamlErr?.pos[0] ?? input.text.length);
    const before = input.text.slice(0, offset);
    const line = before.split('\n').length;
    const lineStart = before.lastIndexOf('\n') + 1;
    const lineEnd = input.text.indexOf('\n', offset);
    return {
      id: 'syntax/json',
      severity: 'error',
      file: input.file,
      message: `invalid JSON: ${msg
        .replace(/ in JSON at position \d+.*$/s, '')
        .replace(/, \.\.\.".*$/s, '')
        .replace(/^JSON\.parse: /, '')}`,
      position: { line, column: offset - lineStart + 1 },
      sourceLine: input.text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd),
    };
  }
}

function sortFindings(list: Finding[]): Finding[] {
  return list.sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
}
