/**
 * One parsed YAML/JSON document to the checks for what it is. Shapes users really have are
 * unwrapped here: a `kind: List` of Kubernetes objects, ConfigMaps carrying dashboards (JSON in
 * `data`) or Alertmanager configs / rule files (YAML in `data`), PrometheusRules, Grafana API
 * wrappers, promtool unit-test files (whose rule_files are read and checked too), file_sd target
 * lists. Nothing is skipped silently: a document that is none of these is reported, as an error
 * when the user named the file.
 */
import { type Document, isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { checkAlertmanagerConfig } from './configs/alertmanager.js';
import { checkPrometheusConfig } from './configs/prometheus.js';
import { FileContext, get, scalarString } from './context.js';
import { checkDashboard, type loadDashboardLinter } from './dashboard-adapter.js';
import { detectKind, type FileKind } from './detect.js';
import type { Finding } from './finding.js';
import { isPlainMap } from './plain.js';
import { checkPromQL } from './promql-check.js';
import { checkRuleDocument } from './rules/check-rules.js';
import type { RuleInfo } from './rules/rule-info.js';
import { checkUnitTestDocument } from './rules/unit-test.js';
import { scalarSourceOffset } from './source/scalar-offset.js';
import { LazySource, locateOffset, toPlain } from './source/yaml-source.js';

export type DashboardLinter = Awaited<ReturnType<typeof loadDashboardLinter>>;

/** What a document's checks share with the rest of the run. */
export interface DocumentRun {
  /** Rule names seen so far (duplicates across files), plain files and CRDs apart. */
  seen: Map<string, RuleInfo>;
  seenCrd: Map<string, RuleInfo>;
  /** Dashboards wait for the linter (loaded only when a run has dashboards). */
  defer: (run: (lint: DashboardLinter) => Finding[]) => void;
  /** The file was named on the command line: an unrecognised document is an error, not a skip. */
  named: boolean;
  /** Reads a unit-test file's rule_files (relative to the test file; globs allowed). */
  resolveRuleFiles?: (fromFile: string, pattern: string) => { file: string; text: string }[];
  /** Files a unit-test file loads, to be checked as rule files in this run. */
  addFile: (file: string, text: string) => void;
  kinds: FileKind[];
  rules: number;
}

const JSON_KEY = /\.json$/i;

/** Checks one document (or, with `base`, one object inside it) and returns its kind. */
export function checkDocument(ctx: FileContext, doc: Document.Parsed, contents: Node | null, run: DocumentRun): void {
  const kind = detectKind(contents);
  run.kinds.push(kind);
  const map = contents as YAMLMap;
  switch (kind) {
    case 'rules':
    case 'prometheus-rule-crd': {
      let plain: unknown;
      try {
        plain = toPlain(contents, doc);
      } catch (e) {
        ctx.report('syntax/yaml', 'error', `cannot read rules: ${(e as Error).message}`, contents);
        return;
      }
      // A CRD usually ships the same rules as the plain files beside it: its own namespace for duplicates.
      if (isPlainMap(plain))
        run.rules += checkRuleDocument(
          ctx,
          plain,
          kind === 'prometheus-rule-crd',
          kind === 'rules' ? run.seen : run.seenCrd,
        );
      return;
    }
    case 'alertmanager-config':
      checkAlertmanagerConfig(ctx, map);
      return;
    case 'prometheus-config':
      checkPrometheusConfig(ctx, map);
      return;
    case 'dashboard':
      if (contents) run.defer((lint) => dashboardFindings(ctx, contents, lint));
      return;
    case 'promtool-tests':
      checkTestFile(ctx, doc, contents, run);
      return;
    case 'k8s-list': {
      const items = get(map, 'items');
      if (isSeq(items))
        items.items.forEach((item, i) => {
          if (isMap(item)) checkDocument(ctx.at(['items', i]), doc, item as Node, run);
        });
      return;
    }
    case 'k8s-configmap':
      checkConfigMap(ctx, map, run);
      return;
    case 'k8s-autoscaler':
      checkAutoscaler(ctx, doc, contents);
      return;
    case 'file-sd':
    case 'k8s-object':
      return;
    case 'grafana-provisioning':
      collectDatasources(ctx, map);
      return;
    case 'empty':
      return;
    default: {
      // A named file where nothing is ours is an error (the engine says so once per file); a
      // document that is not ours beside ones that are (helm template output: Services,
      // Deployments next to a PrometheusRule) is only noted.
      const k8sKind = isMap(contents) ? scalarString(get(contents, 'kind')) : undefined;
      const what =
        k8sKind && scalarString(get(contents as YAMLMap, 'apiVersion'))
          ? `a Kubernetes ${k8sKind}, not a monitoring object: skipped`
          : 'not a rule file, PrometheusRule, Prometheus or Alertmanager config, promtool test file, file_sd list or Grafana dashboard: skipped';
      ctx.report('detect/unknown', 'info', what, contents);
    }
  }
}

const NOT_OURS: ReadonlySet<FileKind> = new Set(['unknown', 'empty']);
const KINDS_WE_CHECK =
  'a rule file, PrometheusRule, Prometheus or Alertmanager config, promtool test file, file_sd list or Grafana dashboard';
/** The extensions a directory walk picks up (validate/files.ts): text meant to be YAML or JSON. */
const DATA_FILE = /\.(ya?ml|json)$/i;

/**
 * A file the user named where no document is one validate checks: one error, so a CI step that
 * names a file gets a failure rather than a silent pass. Undefined when something was checked.
 */
export function notRecognised(file: string, kinds: readonly FileKind[], firstDoc: Node | null): Finding | undefined {
  if (!kinds.length || !kinds.includes('unknown') || !kinds.every((k) => NOT_OURS.has(k))) return undefined;
  const list = isSeq(firstDoc);
  return {
    id: 'detect/not-recognised',
    severity: 'error',
    file,
    message: `not ${KINDS_WE_CHECK}${list ? ' (its top level is a list; a rule file starts with "groups:")' : ''}`,
    position: { line: 1, column: 1 },
  };
}

/**
 * A named file that is not .yml/.yaml/.json and holds nothing validate checks (a runbook's .md, a
 * .txt): one `detect/not-recognised` error in place of its findings, which would otherwise be
 * whatever its text looked like as YAML ("Not a YAML token" on a markdown table). Its contents still
 * decide first: a rule file named `alert.rules` (a common name) is checked like any other, and a
 * .yml file with a syntax error keeps its syntax error. `findings` are this file's; the first YAML
 * syntax error among them is kept in the message, in case the file was meant to be YAML.
 * Undefined when the file stays as it was.
 */
export function foreignNamedFile(
  file: string,
  kinds: readonly FileKind[],
  findings: readonly Finding[],
): Finding | undefined {
  if (DATA_FILE.test(file) || !kinds.every((k) => NOT_OURS.has(k))) return undefined;
  const ext = /\.[^./\\]+$/.exec(file)?.[0];
  const syntax = findings.find((f) => f.id.startsWith('syntax/'));
  const asYaml = syntax
    ? `; read as YAML it fails${syntax.position ? ` at ${syntax.position.line}:${syntax.position.column}` : ''}: ${syntax.message}`
    : '';
  return {
    id: 'detect/not-recognised',
    severity: 'error',
    file,
    message: `not ${KINDS_WE_CHECK} (${ext ? `a ${ext} file` : 'a file without an extension'}: validate reads YAML and JSON${asYaml})`,
    position: { line: 1, column: 1 },
  };
}

/**
 * A KEDA ScaledObject's prometheus triggers: the query must parse as PromQL (KEDA only finds out
 * when it polls). An HPA has no PromQL of its own (its External metric comes from an adapter).
 */
function checkAutoscaler(ctx: FileContext, doc: Document.Parsed, contents: Node | null): void {
  let plain: unknown;
  try {
    plain = toPlain(contents, doc);
  } catch {
    return;
  }
  const triggers = isPlainMap(plain) && isPlainMap(plain.spec) ? plain.spec.triggers : undefined;
  if (!Array.isArray(triggers)) return;
  triggers.forEach((t, i) => {
    if (!isPlainMap(t) || t.type !== 'prometheus' || !isPlainMap(t.metadata)) return;
    const query = t.metadata.query;
    if (typeof query !== 'string') return;
    for (const is of checkPromQL(query, { lint: false }).issues)
      if (is.severity === 'error')
        ctx.reportAt(is.id, 'error', is.message, ['spec', 'triggers', i, 'metadata', 'query'], {
          offset: is.from,
          length: is.to - is.from,
        });
  });
}

/** Datasource uids a Grafana provisioning file defines (for cross/unknown-datasource). */
function collectDatasources(ctx: FileContext, map: YAMLMap): void {
  const list = get(map, 'datasources');
  if (!isSeq(list)) return;
  const facts = ctx.facts;
  if (facts.datasourceUids === undefined) facts.datasourceUids = new Set();
  for (const d of list.items) {
    const uid = isMap(d) ? scalarString(get(d, 'uid')) : undefined;
    // Grafana makes up a uid for a datasource without one: nothing can be decided then.
    if (uid) facts.datasourceUids.add(uid);
    else facts.datasourceUidMissing = true;
  }
}

function dashboardFindings(ctx: FileContext, contents: Node, lint: DashboardLinter): Finding[] {
  const sub = new FileContext(ctx.lazy, ctx.opts, ctx.facts, ctx.docIndex, true, ctx.base);
  checkDashboard(sub, ctx.docIndex, contents, lint);
  return sub.findings;
}

/**
 * A ConfigMap's `data`: each value that is a dashboard (JSON), an Alertmanager config or a rule
 * file is checked as its own text, and its findings are placed back in the ConfigMap's file (the
 * line and column inside the block scalar). Other values (scripts, ini files) are not ours.
 */
function checkConfigMap(ctx: FileContext, map: YAMLMap, run: DocumentRun): void {
  // A Secret's `data` is base64 (positions cannot be mapped into it); its `stringData` is text.
  const data = get(map, scalarString(get(map, 'kind')) === 'Secret' ? 'stringData' : 'data');
  if (!isMap(data)) return;
  for (const pair of data.items) {
    const key = scalarString(pair.key);
    const value = pair.value;
    if (!key || !isScalar(value) || typeof value.value !== 'string') continue;
    const text = value.value;
    const looksJson = JSON_KEY.test(key) || /^\s*\{/.test(text);
    if (!looksJson && !/\.ya?ml$/i.test(key)) continue;
    const inner = new LazySource(ctx.file, text);
    const parsed = inner.parse();
    const innerCtx = new FileContext(inner, ctx.opts, ctx.facts, 0);
    const place = (fs: readonly Finding[]) => fs.map((f) => placeInScalar(ctx, value, text, f, key));
    if (parsed.findings.length) {
      // Only a document that is meant to be ours is worth a syntax error.
      if (looksJson) ctx.findings.push(...place(parsed.findings));
      continue;
    }
    const innerDoc = parsed.source.docs[0];
    const innerContents = (innerDoc?.contents ?? null) as Node | null;
    const kind = detectKind(innerContents);
    if (kind === 'unknown' || kind === 'empty' || !innerDoc) continue;
    if (kind === 'dashboard') {
      run.kinds.push(kind);
      run.defer((lint) => place(dashboardFindings(innerCtx, innerContents!, lint)));
      continue;
    }
    const before = innerCtx.findings.length;
    checkDocument(innerCtx, innerDoc, innerContents, run);
    ctx.findings.push(...place(innerCtx.findings.slice(before)));
  }
}

/** A finding made on a ConfigMap value's own text, moved to where that text is in the file. */
function placeInScalar(ctx: FileContext, node: Scalar, text: string, f: Finding, key: string): Finding {
  const where = `data › ${key}`;
  const context = f.context ? `${where} › ${f.context}` : where;
  if (!f.position) return { ...f, file: ctx.file, context };
  const toOffset = (line: number, column: number) => {
    let at = 0;
    for (let l = 1; l < line; l++) at = text.indexOf('\n', at) + 1;
    return at + column - 1;
  };
  const outer = (p: { line: number; column: number }) =>
    scalarSourceOffset(ctx.source.text, node, toOffset(p.line, p.column));
  const loc = locateOffset(ctx.source, outer(f.position), f.endPosition ? outer(f.endPosition) : undefined);
  return { ...f, file: ctx.file, context, ...loc };
}

/**
 * A promtool unit-test file: its structure, series and expressions (rules/unit-test.ts), and its
 * rule_files read and checked as rule files in this run (promtool cannot run tests whose rule
 * files do not load).
 */
function checkTestFile(ctx: FileContext, doc: Document.Parsed, contents: Node | null, run: DocumentRun): void {
  let plain: unknown;
  try {
    plain = toPlain(contents, doc);
  } catch (e) {
    ctx.report('syntax/yaml', 'error', `cannot read the test file: ${(e as Error).message}`, contents);
    return;
  }
  if (!isPlainMap(plain)) return;
  const ruleFiles = checkUnitTestDocument(ctx, plain);
  if (!run.resolveRuleFiles) return;
  ruleFiles.forEach((pattern, i) => {
    const found = run.resolveRuleFiles!(ctx.file, pattern);
    if (!found.length)
      ctx.reportAt(
        'schema/test-rule-files',
        'warning',
        `rule_files entry ${JSON.stringify(pattern)} matches no file (promtool test rules runs without it)`,
        ['rule_files', i],
      );
    for (const f of found) run.addFile(f.file, f.text);
  });
}
