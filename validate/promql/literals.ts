/**
 * Values of PromQL literals the way Prometheus computes them: numbers through Go's
 * `strconv.ParseInt(s, 0, 64)` then `ParseFloat` (so `0x1f`, `010` octal, `5.`, `.5`, `1e3`,
 * `Inf`/`NaN`; `1e400` is out of range and an error), strings through Go's unquoting.
 */

/** The number's value, or undefined when Go cannot parse it (Prometheus: "error parsing number"). */
export function numberValue(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  const t = text;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) {
    // ParseInt overflows past int64, and ParseFloat wants a `p` exponent in hex.
    return BigInt(t) <= 0x7fffffffffffffffn ? Number.parseInt(t.slice(2), 16) : undefined;
  }
  if (/^0[0-7]+$/.test(t)) return Number.parseInt(t, 8);
  if (!/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** Go's one-character escapes (strconv.UnquoteChar), shared with the Go template checker. */
export const SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** The value of a string literal as lexed (quotes included; escapes already validated). */
export function unquote(s: string): string {
  const body = s.slice(1, -1);
  if (s.startsWith('`') || !body.includes('\\')) return body;
  return body.replace(
    /\\(?:([0-7]{3})|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))/gs,
    (m, o, x, u, U, c) => {
      if (o) return String.fromCharCode(Number.parseInt(o, 8));
      if (x) return String.fromCharCode(Number.parseInt(x, 16));
      if (u || U) return String.fromCodePoint(Number.parseInt(u ?? U, 16));
      return SIMPLE[c as string] ?? m;
    },
  );
}
