/**
 * `validate` without the CLI: files in, findings out. Each file is parsed once (YAML with
 * positions; JSON is YAML), its documents are recognised by shape and checked, then the
 * set-wide checks run, then `--disable` and inline disables, then `--strict`. Never throws on
 * bad input: a check that blows up becomes an `internal/error` finding on that file.
 */

import type { Node } from 'yaml';
import { allMetrics, seriesNames } from '../config/metrics.js';
import { allRecordings } from '../config/recordings.js';
import { applySeverities } from './checks/registry.js';
import { FileContext, newSetFacts, type ValidateOptions } from './context.js';
import { crossArtifactFindings } from './cross-artifact.js';
import { loadDashboardLinter } from './dashboard-adapter.js';
import type { FileKind } from './detect.js';
import { applyDisables } from './disable.js';
import { checkDocument, type DashboardLinter, type DocumentRun, foreignNamedFile, notRecognised } from './documents.js';
import type { MetricList } from './exposition.js';
import type { Finding } from './finding.js';
import type { RuleInfo } from './rules/rule-info.js';
import { fastRuleFile } from './source/fast-rules.js';
import { planDocuments } from './source/loaded-documents.js';
import { tabIndentFindings } from './source/tab-indent.js';
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

/** Every series name the mixin's catalog and recording rules define, with counter-ness. */
export function catalogMetricList(): MetricList {
  const names = new Set<string>();
  const kinds = new Map<string, 'counter' | 'other'>();
  for (const d of [...allMetrics, ...allRecordings()])
    for (const s of seriesNames(d)) {
      names.add(s);
      kinds.set(
        s,
        d.type === 'counter' || ((d.type === 'histogram' || d.type === 'summary') && s !== d.name)
          ? 'counter'
          : 'other',
      );
    }
  return { names, kinds };
}

const catalogKinds = catalogMetricList().kinds;

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
      const tabs = tabIndentFindings(input.file, input.text);
      if (tabs.length) {
        findings.push(...tabs);
        continue;
      }
      if (/\.json$/i.test(input.file)) {
        const jsonErr = jsonSyntax(input);
        if (jsonErr) {
          findings.push(jsonErr);
          continue;
        }
      } else if (opts.fastPath !== false && fastRuleFile(lazy, ctxOpts, facts, seen, seenCrd, entry, findings))
        continue;
      const parsed = lazy.parse();
      const { source } = parsed;
      // Documents the real tool never reads are skipped (with a warning), refused top levels reported.
      const plan = planDocuments(parsed);
      findings.push(...plan.findings);
      if (plan.stop) continue;
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
        if (plan.skip.has(d)) return;
        const ctx = new FileContext(lazy, ctxOpts, facts, d);
        checkDocument(ctx, doc, (doc.contents ?? null) as Node | null, run);
        findings.push(...ctx.findings);
      });
      entry.rules += run.rules;
      const nothingOurs =
        input.named && notRecognised(input.file, entry.kinds, source.docs[0]?.contents as Node | null);
      if (nothingOurs) {
        // The error says it all: no "skipped" notes for the same file.
        for (let j = findings.length - 1; j >= 0; j--)
          if (findings[j]!.file === input.file && findings[j]!.id === 'detect/unknown') findings.splice(j, 1);
        findings.push(nothingOurs);
      }
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
  // A named file that is not .yml/.yaml/.json and holds nothing ours: one detect/not-recognised
  // error instead of what its text looked like as YAML (inputs come first in `files`; rule files a
  // unit-test file loads are promtool's to read whatever their name, so they are left alone).
  inputs.forEach((input, i) => {
    if (!input.named) return;
    const instead = foreignNamedFile(
      input.file,
      files[i]!.kinds,
      findings.filter((f) => f.file === input.file),
    );
    if (instead) findings.splice(0, findings.length, ...findings.filter((f) => f.file !== input.file), instead);
  });
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
      // Not localeCompare: its first call loads ICU's collator, ~10 ms of a short CI run.
      compareText(a.file ?? '', b.file ?? '') ||
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
