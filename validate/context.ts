/**
 * What every per-file check shares: the parsed source, where findings go, the options, and the
 * set-wide facts cross-artifact checks read afterwards (recording rules defined, metrics used,
 * dashboard uids, links).
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Finding, Severity } from './finding.js';
import type { MetricRef } from './promql-check.js';
import {
  type LazySource,
  type Located,
  locateNode,
  locatePath,
  type PathSpot,
  type SourceFile,
} from './source/yaml-source.js';

export interface ValidateOptions {
  /** Scrape interval (ms) the range-window lint assumes; default 15s. */
  scrapeIntervalMs?: number;
  /** Allowed `severity` label values; default critical, warning, info. */
  severities?: readonly string[];
  /** Metric type by name from the catalog and --metrics: 'counter' | 'other'. */
  metricKind?: (name: string) => 'counter' | 'other' | undefined;
}

export interface UrlRef {
  url: string;
  file: string;
  label: string;
  /** File position, computed only when a finding needs it (it may parse the file with positions). */
  locate: () => Located | undefined;
}

export interface MetricUse extends MetricRef {
  file: string;
  /** File position of the use (`from`..`to` inside the expression), computed on demand. */
  locate: () => Located | undefined;
  /** Where inside a dashboard, when known. */
  context?: string;
}

/** Facts gathered over the whole set for cross-artifact checks. */
export interface SetFacts {
  recordings: Set<string>;
  metricUses: MetricUse[];
  dashboardUids: Set<string>;
  dashboards: number;
  urls: UrlRef[];
  /** Datasource uids Grafana provisioning files in the set define; undefined when none does (or one has no uid). */
  datasourceUids?: Set<string>;
  /** A provisioned datasource without a uid: Grafana makes one up, so uses cannot be judged. */
  datasourceUidMissing?: boolean;
  /** Fixed datasource uids dashboards use. */
  datasourceUses: { uid: string; file: string; locate: () => Located | undefined; context?: string }[];
}

export const newSetFacts = (): SetFacts => ({
  recordings: new Set(),
  metricUses: [],
  dashboardUids: new Set(),
  dashboards: 0,
  urls: [],
  datasourceUses: [],
});

export class FileContext {
  readonly findings: Finding[] = [];
  /**
   * `positioned`: findings get file:line:col now (the slow path). Otherwise (the fast path on
   * plain values) they are only counted: any finding sends the file down the positioned path.
   */
  constructor(
    readonly lazy: LazySource,
    readonly opts: ValidateOptions,
    readonly facts: SetFacts,
    readonly docIndex = 0,
    readonly positioned = true,
    /** Where this context's paths start inside the document (a `kind: List` item: ['items', 3]). */
    readonly base: ReadonlyArray<string | number> = [],
  ) {}

  /** The same file, document and options, for a part of the document at `base` (paths below it). */
  at(base: ReadonlyArray<string | number>): FileContext {
    const sub = new FileContext(this.lazy, this.opts, this.facts, this.docIndex, this.positioned, [
      ...this.base,
      ...base,
    ]);
    // One findings list for the whole document.
    Object.defineProperty(sub, 'findings', { value: this.findings });
    Object.defineProperty(sub, 'pending', { value: this.pending });
    return sub;
  }

  get file(): string {
    return this.lazy.file;
  }

  /** The positioned parse (made on first use). */
  get source(): SourceFile {
    return this.lazy.source;
  }

  /** Findings of the fast path, positioned later by `positionPending` if the file parses with positions. */
  readonly pending: { finding: Finding; path: ReadonlyArray<string | number>; spot: PathSpot }[] = [];

  /** Adds a finding at a path in this document (plain-value checks). */
  reportAt(
    id: string,
    severity: Severity,
    message: string,
    path: ReadonlyArray<string | number>,
    spot: PathSpot = {},
    context?: string,
  ): void {
    const f: Finding = { id, severity, message, file: this.file, ...(context ? { context } : {}) };
    const full = this.base.length ? [...this.base, ...path] : path;
    if (this.positioned) Object.assign(f, locatePath(this.source, this.docIndex, full, spot) ?? {});
    else this.pending.push({ finding: f, path: full, spot });
    this.findings.push(f);
  }

  /** Gives the fast path's findings their file positions (from the positioned parse). */
  positionPending(source: SourceFile): void {
    for (const p of this.pending) Object.assign(p.finding, locatePath(source, this.docIndex, p.path, p.spot) ?? {});
    this.pending.length = 0;
  }

  /** A position resolver for facts (cross-artifact findings), positioned only when asked. */
  locator(path: ReadonlyArray<string | number>, spot: PathSpot = {}): () => Located | undefined {
    const { lazy, docIndex } = this;
    const full = this.base.length ? [...this.base, ...path] : path;
    return () => lazy.locate(docIndex, full, spot);
  }

  /** Adds a finding at a node (or `offset` chars into a scalar node). */
  report(
    id: string,
    severity: Severity,
    message: string,
    node?: Node | Pair | null,
    offset?: number,
    length?: number,
    context?: string,
  ): void {
    const n = node && 'key' in node && !('range' in node) ? ((node as Pair).key as Node) : (node as Node | undefined);
    const loc = locateNode(this.source, n ?? undefined, offset, length);
    this.findings.push({ id, severity, message, file: this.file, ...(loc ?? {}), ...(context ? { context } : {}) });
  }
}

export const asMap = (n: unknown): YAMLMap | undefined => (isMap(n) ? n : undefined);
export const asSeq = (n: unknown): YAMLSeq | undefined => (isSeq(n) ? n : undefined);

export function entries(map: YAMLMap): { key: string; keyNode: Node; value: Node | null; pair: Pair }[] {
  return map.items.map((pair) => {
    const k = pair.key as Node;
    return {
      // A collection used as a key (legal YAML, never ours): stringifying it can throw on a broken merge.
      key: isScalar(k) ? String(k.value) : '[complex key]',
      keyNode: k,
      value: (pair.value as Node | null) ?? null,
      pair: pair as Pair,
    };
  });
}

export function get(map: YAMLMap | undefined, key: string): Node | null | undefined {
  if (!map) return undefined;
  for (const item of map.items) {
    const k = item.key;
    if (isScalar(k) && k.value === key) return (item.value as Node | null) ?? null;
  }
  return undefined;
}

/** The key node of `key` (for "unknown field" positions). */
export function keyNode(map: YAMLMap, key: string): Node | undefined {
  for (const item of map.items) if (isScalar(item.key) && item.key.value === key) return item.key as Node;
  return undefined;
}

/** A scalar's value as a string (numbers and booleans as YAML wrote them), else undefined. */
export function scalarString(n: unknown): string | undefined {
  if (!isScalar(n)) return undefined;
  const v = (n as Scalar).value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  return (n as Scalar).source ?? String(v);
}

export function isNull(n: unknown): boolean {
  return n === null || n === undefined || (isScalar(n) && (n.value === null || n.value === undefined));
}

export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
