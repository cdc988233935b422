/**
 * Grafana's template interpolation for a Prometheus datasource, as the dashboards' users get it:
 * `$var`, `${var}`, `${var:format}` and `[[var]]`; a multi-value or include-All variable becomes a
 * regex alternation `(a|b)` of regex-escaped values, a custom All value goes in as written, a
 * single-value variable only has `\` and `'` escaped; unknown names are left as written (Grafana
 * does the same, and Prometheus then rejects the query, which the test reports).
 * Sources: Grafana docs "Variable syntax" / "Formatting multi-value variables", and the Prometheus
 * datasource's interpolateQueryExpr / prometheusSpecialRegexEscape.
 */

export interface VarValue {
  /** One value, or the selected values of a multi-value variable (or all of them for All). */
  value: string | string[];
  multi: boolean;
  includeAll: boolean;
  /** Set when All is selected and the variable has a custom All value (`.*`). */
  customAll?: string | undefined;
}

export type Scope = ReadonlyMap<string, VarValue>;

/** Grafana's variable reference pattern (templateSrv's variableRegex). */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

const prometheusRegularEscape = (v: string) => v.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
const prometheusSpecialRegexEscape = (v: string) =>
  v.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
const regexEscape = (v: string) => v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

/** The Prometheus datasource's default formatting (no `:format` given). */
function prometheusFormat(v: VarValue): string {
  if (!v.multi && !v.includeAll) return prometheusRegularEscape(Array.isArray(v.value) ? v.value.join(',') : v.value);
  if (typeof v.value === 'string') return prometheusSpecialRegexEscape(v.value);
  const escaped = v.value.map(prometheusSpecialRegexEscape);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}

/** Grafana's named formats (`${var:regex}`); an unknown one falls back to glob, as Grafana's registry does. */
function namedFormat(v: VarValue, format: string, name: string): string {
  const values = Array.isArray(v.value) ? v.value : [v.value];
  switch (format) {
    case 'regex': {
      const escaped = values.map(regexEscape);
      return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
    }
    case 'pipe':
      return values.join('|');
    case 'csv':
    case 'raw':
    case 'text':
      return values.join(',');
    case 'json':
      return JSON.stringify(v.value);
    case 'doublequote':
      return values.map((x) => `"${x.replace(/"/g, '\\"')}"`).join(',');
    case 'singlequote':
      return values.map((x) => `'${x.replace(/'/g, "\\'")}'`).join(',');
    case 'percentencode':
      return encodeURIComponent(values.length > 1 ? `{${values.join(',')}}` : values.join(''));
    case 'queryparam':
      return values.map((x) => `var-${name}=${encodeURIComponent(x)}`).join('&');
    default:
      return values.length > 1 ? `{${values.join(',')}}` : values.join('');
  }
}

/** Replaces every variable reference of `text` that `scope` knows. */
export function interpolate(text: string, scope: Scope): string {
  return text.replace(VARIABLE, (match, plain, bracket, bracketFmt, braced, _field, bracedFmt) => {
    const name = (plain ?? bracket ?? braced) as string;
    const format = (bracketFmt ?? bracedFmt) as string | undefined;
    const v = scope.get(name);
    if (!v) return match;
    // A custom All value is used as written (Grafana skips formatting it), after its own expansion.
    if (v.customAll !== undefined && format !== 'text' && format !== 'percentencode') {
      return interpolate(v.customAll, scope);
    }
    return format ? namedFormat(v, format, name) : prometheusFormat(v);
  });
}

/** Parses a Grafana duration (`500ms`, `15s`, `1m`, `>10s`) into milliseconds; undefined if it is not one. */
export function durationMs(text: string | undefined): number | undefined {
  const m = /^>?\s*(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec((text ?? '').trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3, y: 31536000e3 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}

/** A duration in the form Grafana writes it into a query (`2s`, `1500ms`, `1m`). */
export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${Math.round(ms)}ms`;
}

/** Grafana's rangeutil roundInterval: a computed interval snapped to a "nice" one (ms). */
const NICE: ReadonlyArray<[below: number, nice: number]> = [
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1500, 1000],
  [3500, 2000],
  [7500, 5000],
  [12500, 10000],
  [17500, 15000],
  [25000, 20000],
  [45000, 30000],
  [90000, 60000],
  [210000, 120000],
  [450000, 300000],
  [750000, 600000],
  [1050000, 900000],
  [1500000, 1200000],
  [2700000, 1800000],
  [5400000, 3600000],
  [9000000, 7200000],
  [16200000, 10800000],
  [32400000, 21600000],
  [86400000, 43200000],
  [604800000, 86400000],
  [1814400000, 604800000],
  [3628800000, 2592000000],
];
export function roundInterval(ms: number): number {
  return NICE.find(([below]) => ms < below)?.[1] ?? 31536000000;
}

export interface Timing {
  /** The dashboard time range, ms. */
  rangeMs: number;
  /** The datasource's scrape interval (Grafana's "Scrape interval" setting), ms. */
  scrapeMs: number;
  /** The panel's width in points (Grafana's maxDataPoints). */
  maxDataPoints: number;
  /** Unix ms of the range's end. */
  toMs: number;
}

/**
 * The query step and Grafana's built-in variables for one target: $__interval is the range over
 * the panel's points snapped to a nice interval, at least the datasource's scrape interval or the
 * target's min interval, times the legacy intervalFactor; $__rate_interval is
 * max($__interval + scrape, 4 × scrape).
 */
export function builtIns(
  t: Timing,
  minInterval: string | undefined,
  intervalFactor: number,
): {
  stepMs: number;
  scope: Map<string, VarValue>;
} {
  const floor = Math.max(t.scrapeMs, durationMs(minInterval) ?? 0);
  const calculated = roundInterval(t.rangeMs / t.maxDataPoints);
  // The datasource's adjustInterval: the factor multiplies, and no more than 11,000 points.
  const stepMs = Math.max(Math.max(floor, calculated) * intervalFactor, t.rangeMs / 11_000);
  const rateMs = Math.max(stepMs + t.scrapeMs, 4 * t.scrapeMs);
  const fixed = (value: string): VarValue => ({ value, multi: false, includeAll: false });
  const scope = new Map<string, VarValue>([
    ['__interval', fixed(formatDuration(stepMs))],
    ['__interval_ms', fixed(String(stepMs))],
    ['__rate_interval', fixed(formatDuration(rateMs))],
    ['__rate_interval_ms', fixed(String(rateMs))],
    ['__range', fixed(`${Math.round(t.rangeMs / 1000)}s`)],
    ['__range_s', fixed(String(Math.round(t.rangeMs / 1000)))],
    ['__range_ms', fixed(String(t.rangeMs))],
    ['__from', fixed(String(t.toMs - t.rangeMs))],
    ['__to', fixed(String(t.toMs))],
    ['__auto', fixed(formatDuration(stepMs))],
  ]);
  return { stepMs, scope };
}
