/**
 * Grafana template variables → concrete PromQL, so a dashboard query can run against Prometheus
 * directly. Pure: the variable values come in resolved (see variables.ts); built-ins get durations
 * derived from the scrape interval the way Grafana derives them.
 */
export interface Builtins {
  /** `$__rate_interval`: Grafana uses max($__interval + scrape interval, 4 × scrape interval). */
  rateInterval: string;
  interval: string;
  intervalMs: number;
  range: string;
  rangeSeconds: number;
}

/** One variable's values; `all` is what "All" stands for in a regex matcher, when set. */
export interface VariableValues {
  values: string[];
  allValue?: string;
}

/** Regex-escapes a value the way Grafana's Prometheus datasource does for multi-value variables. */
export function escapeRegex(v: string): string {
  return v.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}

const BUILTIN_ORDER = ['__rate_interval', '__interval_ms', '__interval', '__range_ms', '__range_s', '__range'] as const;

function builtinValue(name: string, b: Builtins): string | undefined {
  switch (name) {
    case '__rate_interval':
      return b.rateInterval;
    case '__interval':
      return b.interval;
    case '__interval_ms':
      return String(b.intervalMs);
    case '__range':
      return b.range;
    case '__range_s':
      return String(b.rangeSeconds);
    case '__range_ms':
      return String(b.rangeSeconds * 1000);
    default:
      return undefined;
  }
}

/** True when the text before a variable reference is inside a `=~"` / `!~"` string. */
function inRegexMatcher(prefix: string): boolean {
  return /(=~|!~)\s*"[^"]*$/.test(prefix);
}

/**
 * Replaces `$var`, `${var}`, `${var:fmt}` and `[[var]]` with values: inside a regex matcher a
 * multi-value variable becomes `(a|b)` (or its "All" value), elsewhere its first value.
 */
export function expandTemplate(
  expr: string,
  vars: ReadonlyMap<string, VariableValues>,
  builtins: Builtins,
): { expr: string; unknown: string[] } {
  const unknown: string[] = [];
  const re = /\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)/g;
  const out = expr.replace(
    re,
    (whole, a: string | undefined, b: string | undefined, c: string | undefined, offset: number) => {
      let name = a ?? b ?? c ?? '';
      if (c !== undefined) {
        // `$__interval_ms` vs `$__interval`: \w+ is greedy, so the longest built-in name wins already.
        name = BUILTIN_ORDER.find((n) => c === n) ?? c;
      }
      const builtin = builtinValue(name, builtins);
      if (builtin !== undefined) return builtin;
      const v = vars.get(name);
      if (!v) {
        unknown.push(name);
        return whole;
      }
      if (inRegexMatcher(expr.slice(0, offset))) {
        if (v.allValue) return v.allValue;
        if (v.values.length === 0) return '.*';
        // Inside a PromQL "..." literal a regex backslash must itself be escaped (`127\\.0`).
        const esc = (s: string) => escapeRegex(s).replace(/\\/g, '\\\\');
        return v.values.length === 1 ? esc(v.values[0]!) : `(${v.values.map(esc).join('|')})`;
      }
      return v.values[0] ?? '';
    },
  );
  return { expr: out, unknown: [...new Set(unknown)] };
}
