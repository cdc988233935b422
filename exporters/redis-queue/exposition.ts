/**
 * The text exposition of a registry, written to the response in chunks as it is built, byte for
 * byte what prom-client's `registry.metrics()` returns.
 *
 * Why not `registry.metrics()`: it builds every series line as an array of label strings, joins
 * them per metric, then joins the metrics into one string, so a 10,000-key scrape allocated ~30 MB
 * of short-lived strings and arrays on top of the ~1.4 MB body. That garbage is what grew the heap
 * (and RSS) at scrape time; here each line is appended to a ~64 KB chunk that is written and let go.
 */
import type { Registry } from 'prom-client';
import { SeriesTable } from './series-table.js';

/** Where the text goes: an http.ServerResponse, or anything with the same write/drain contract. */
export interface ExpositionSink {
  write(chunk: string): boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
}

/** One series as prom-client's `get()` / `getForPromString()` hand them out. */
interface Value {
  value: number;
  labels?: Record<string, string | number>;
  sharedLabels?: Record<string, string | number>;
  metricName?: string;
}

export interface MetricData {
  name: string;
  help: string;
  type: string;
  values?: readonly Value[];
  /** A per-key family: its rows are formatted from the table itself, without copies. */
  table?: SeriesTable<string>;
}

interface Readable {
  get(): Promise<MetricData> | MetricData;
  getForPromString?: () => Promise<MetricData>;
}

/** Chunk size: large enough for few writes, small enough that one never holds much of the body. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Every metric of `registry`, collected all at once as prom-client does, so every `collect()`
 * joins the same Redis collection. Apart from writing, so a failure still gets its 500.
 */
export function readRegistry(registry: Registry): Promise<readonly MetricData[]> {
  const metrics = registry.getMetricsAsArray() as unknown as Readable[];
  return Promise.all(
    metrics.map((m) => {
      if (m instanceof SeriesTable)
        return m.ready().then(() => ({ name: m.name, help: m.help, type: m.type, table: m }));
      return m.getForPromString ? m.getForPromString() : m.get();
    }),
  );
}

/**
 * Writes `data` in the text format to `out` chunk by chunk, waiting for the socket when it is
 * full. Resolves when everything was handed to `out` (or it closed).
 */
export async function writeExposition(out: ExpositionSink, data: readonly MetricData[]): Promise<void> {
  let buf = '';
  for (let i = 0; i < data.length; i++) {
    const d = data[i]!;
    const name = escapeString(d.name);
    buf += `${i > 0 ? '\n\n' : ''}# HELP ${name} ${escapeString(d.help)}\n# TYPE ${name} ${d.type}`;
    const lines = d.table ? tableLines(name, d.table) : valueLines(name, d.values ?? []);
    for (const line of lines) {
      buf += `\n${line}`;
      if (buf.length >= CHUNK_CHARS) {
        if (!(await flush(out, buf))) return;
        buf = '';
      }
    }
  }
  await flush(out, `${buf}\n`);
}

/** Writes one chunk; waits for 'drain' when the socket's buffer is full. @returns false once `out` is gone. */
async function flush(out: ExpositionSink, chunk: string): Promise<boolean> {
  if (out.destroyed) return false;
  if (out.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
  });
  return !out.destroyed;
}

/** `name{a="x",b="y"} 1`, as prom-client formats it (shared labels last, NaN as `Nan`). */
function seriesLine(name: string, v: Value): string {
  let labels = '';
  const shared = v.sharedLabels;
  if (v.labels) {
    for (const k in v.labels) {
      if (shared && Object.hasOwn(shared, k)) continue;
      labels += `${labels ? ',' : ''}${k}="${escapeLabelValue(v.labels[k]!)}"`;
    }
  }
  if (shared) {
    for (const k in shared) labels += `${labels ? ',' : ''}${k}="${escapeLabelValue(shared[k]!)}"`;
  }
  return `${v.metricName ?? name}${labels ? `{${labels}}` : ''} ${valueText(v.value)}`;
}

function* valueLines(name: string, values: readonly Value[]): Generator<string> {
  for (const v of values) yield seriesLine(name, v);
}

/** A table's lines, labels in the catalog's order (as its `set` calls write them). */
function* tableLines(name: string, table: SeriesTable<string>): Generator<string> {
  const names = table.labelNames;
  for (const row of table.series()) {
    let labels = '';
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      labels += `${i ? ',' : ''}${n}="${escapeLabelValue(row.labels[n]!)}"`;
    }
    yield `${name}{${labels}} ${valueText(row.value)}`;
  }
}

function valueText(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

// Most values need no escaping: test before allocating a copy.
const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabelValue(v: string | number): string | number {
  if (typeof v !== 'string' || !NEEDS_ESCAPE.test(v)) return v;
  return escapeString(v).replace(/"/g, '\\"');
}

function escapeString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
