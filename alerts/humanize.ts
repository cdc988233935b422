/**
 * TypeScript twins of Prometheus's template functions (`humanize`, `humanizePercentage`,
 * `humanizeDuration`) and a renderer for the template subset our annotations use, so generated
 * promtool tests can state the exact annotation text an alert will carry.
 */
import { formatDuration } from '../config/promql.js';

/** Go's `%.4g`: 4 significant digits, trailing zeros dropped, exponent form outside 1e-4..1e4. */
export function goG4(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(4)))));
  if (exp < -4 || exp >= 4) {
    const [m, e] = v.toExponential(3).split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(Number(v.toPrecision(4)));
}

export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goG4(v);
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return `${goG4(v)}${prefix}`;
  }
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${goG4(v)}${prefix}`;
}

export function humanizePercentage(v: number): string {
  return `${goG4(v * 100)}%`;
}

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return goG4(v);
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const a = Math.abs(v);
    const d = Math.trunc(a);
    const s = d % 60;
    const m = Math.trunc(d / 60) % 60;
    const h = Math.trunc(d / 3600) % 24;
    const days = Math.trunc(d / 86400);
    if (days) return `${sign}${days}d ${h}h ${m}m ${s}s`;
    if (h) return `${sign}${h}h ${m}m ${s}s`;
    if (m) return `${sign}${m}m ${s}s`;
    return `${sign}${goG4(a)}s`;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${goG4(v)}${prefix}s`;
}

const FUNCS: Record<string, (v: number) => string> = { humanize, humanizePercentage, humanizeDuration };

/**
 * Renders `{{ $labels.x }}` and `{{ $value | fn }}` as Prometheus would. Throws on any other
 * template action so an annotation the generator cannot predict is caught at build time.
 */
export function renderTemplate(tpl: string, labels: Record<string, string>, value: number | null): string {
  return tpl.replace(/\{\{\s*(.*?)\s*\}\}/g, (_all, action: string) => {
    const l = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(action);
    if (l) return labels[l[1]!] ?? '';
    const v = /^\$value \| (humanize|humanizePercentage|humanizeDuration)$/.exec(action);
    if (v) {
      if (value === null) throw new Error(`template uses $value but the alert's value is not predictable: ${tpl}`);
      return FUNCS[v[1]!]!(value);
    }
    throw new Error(`unsupported template action {{ ${action} }} in: ${tpl}`);
  });
}

/** A number as a short PromQL/YAML literal without float noise (14.4 * 0.001 → 0.0144). */
export function num(v: number): string {
  return String(Number(v.toPrecision(12)));
}

/** 0.01 → "1%" for thresholds written into summaries. */
export const pct = (v: number): string => humanizePercentage(v);
/** Thresholds in seconds as duration literals (`60` → `1m`, `0.5` → `500ms`). */
export const secs = (v: number): string => formatDuration(v);
/** Byte thresholds in binary units for summaries (`104857600` → `100 MiB`, `1536` → `1.5 KiB`). */
export function bytes(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toPrecision(3))} ${units[i]}`;
}
