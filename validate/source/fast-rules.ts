/**
 * The fast path for the common case, a rule file (or a stream of PrometheusRules): js-yaml
 * (no positions, a fraction of the time and garbage of a positioned parse) and every rule check
 * on its plain values. Findings carry a path; only a file that has some is given positions.
 * Anything the fast path cannot judge (a js-yaml parse error, an alias or merge key, another
 * kind of document, documents Prometheus would ignore, a YAML error only the positioned parser
 * sees) returns false, and the file takes the positioned path from scratch; facts and
 * duplicate-rule names are committed only on success.
 */
import { constructFromEvents, type Event, parseEvents } from 'js-yaml';
import { FileContext, newSetFacts, type SetFacts, type ValidateOptions } from '../context.js';
import { detectPlainKind, type FileKind } from '../detect.js';
import type { Finding } from '../finding.js';
import { checkRuleDocument } from '../rules/check-rules.js';
import type { RuleInfo, SeenRules } from '../rules/rule-info.js';
import { FragmentLocator } from './fragment-positions.js';
import { type ItemSpans, quickLoad } from './quick-yaml.js';
import { type LazySource, locatePath } from './yaml-source.js';

/** A merge key anywhere: merge-keys.ts applies them on the positioned path, as go-yaml does. */
const MERGE_KEY = /<<\s*:/;

export function fastRuleFile(
  lazy: LazySource,
  opts: ValidateOptions,
  facts: SetFacts,
  seen: Map<string, RuleInfo>,
  seenCrd: Map<string, RuleInfo>,
  entry: { kinds: FileKind[]; rules: number },
  out: Finding[],
): boolean {
  if (MERGE_KEY.test(lazy.text)) return false;
  let docs: unknown[];
  let events: Event[] | undefined;
  // Most rule files are in the subset quick-yaml reads (several times faster in a short
  // process); the rest are js-yaml's: core schema like yaml's default; duplicate keys throw;
  // aliases (which the positioned path resolves, with positions at the anchor) throw too.
  const spans: ItemSpans = new WeakMap();
  const quick = quickLoad(lazy.text, spans);
  if (quick) docs = quick;
  else
    try {
      events = parseEvents(lazy.text, {});
      docs = constructFromEvents(events, { source: lazy.text, maxAliases: 0 });
    } catch {
      return false;
    }
  if (!docs.length) return false;
  const all = docs.map(detectPlainKind);
  // What the positioned path reads in full (loaded-documents.ts): a stream of PrometheusRules,
  // or one rule-file document followed by nothing but empty documents.
  const crdStream =
    all.includes('prometheus-rule-crd') && all.every((k) => k === 'prometheus-rule-crd' || k === 'empty');
  const single = all[0] === 'rules' && all.slice(1).every((k) => k === 'empty');
  if (!crdStream && !single) return false;
  const kinds = single ? ['rules' as const] : all;
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
  for (let d = 0; d < kinds.length; d++) {
    if (kinds[d] === 'empty') continue;
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
  const pieces = new FragmentLocator(lazy.text, events, quick ? { docs: quick, spans } : undefined);
  if (withFindings.length && !placeFindings(lazy, pieces, docs.length, withFindings)) return false;
  // Cross-file findings about this file's rules (an undefined recording...) are placed the same way.
  lazy.pieces = pieces;
  for (const ctx of withFindings) out.push(...ctx.findings);
  for (const r of local.recordings) facts.recordings.add(r);
  for (const u of local.metricUses) facts.metricUses.push(u);
  for (const u of local.urls) facts.urls.push(u);
  for (const [k, v] of added) seen.set(k, v);
  for (const [k, v] of addedCrd) seenCrd.set(k, v);
  entry.kinds.push(...kinds);
  entry.rules += rules;
  return true;
}

/**
 * Gives the findings file:line:col: each from the few lines around it (fragment-positions.ts)
 * or, when those cannot be trusted, from the positioned parse of the whole file. Should that
 * see the text differently (a YAML error js-yaml let through), false: the positioned path
 * decides alone.
 */
function placeFindings(lazy: LazySource, pieces: FragmentLocator, docCount: number, contexts: FileContext[]): boolean {
  const placed = new Map<object, object>();
  let whole = false;
  for (const ctx of contexts)
    for (const p of ctx.pending) {
      const at = pieces.locate(ctx.docIndex, p.path, p.spot);
      if (!at) {
        whole = true;
        break;
      }
      placed.set(p.finding, at);
    }
  if (whole) {
    const { source, findings: syntax } = lazy.parse();
    if (syntax.length || source.docs.length !== docCount) return false;
    for (const ctx of contexts)
      for (const p of ctx.pending) Object.assign(p.finding, locatePath(source, ctx.docIndex, p.path, p.spot) ?? {});
  } else for (const [f, at] of placed) Object.assign(f, at);
  for (const ctx of contexts) ctx.pending.length = 0;
  return true;
}
