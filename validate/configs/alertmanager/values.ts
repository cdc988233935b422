/**
 * Alertmanager's value types, as Go parses them: URLs (config.URL: http or https with a host),
 * host:port (net.SplitHostPort), Go durations (time.ParseDuration) and Prometheus durations;
 * scalars as go-yaml v2 types them (booleans, integers), TLS versions and time zone names.
 */
import { isScalar, type Node } from 'yaml';
import { scalarString } from '../../context.js';

const GO_UNIT: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };

/** Milliseconds of a Go duration (`1h30m`, `1.5s`, `-2m`, `0`), or undefined. */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(text);
  let rest = m?.[2] ?? '';
  if (rest === '0') return 0;
  if (!rest) return undefined;
  let ms = 0;
  while (rest) {
    const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!part) return undefined;
    ms += Number(part[1]) * (GO_UNIT[part[2] ?? ''] ?? 0);
    rest = rest.slice(part[0].length);
  }
  return m?.[1] === '-' ? -ms : ms;
}

/**
 * Why a string is not a URL Alertmanager accepts, or undefined. Follows Go's url.Parse closely
 * enough for config values: a scheme, then http/https only, then a non-empty host and a numeric
 * port. Never includes the value (webhook and Slack URLs carry secrets).
 */
export function urlError(s: string): string | undefined {
  // Go's url.Parse refuses ASCII control characters anywhere.
  if ([...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'contains a control character';
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
  if (!scheme) return /^[^/?#]*:/.test(s) ? 'missing protocol scheme' : 'unsupported scheme "" (want http or https)';
  const sch = scheme[1]!.toLowerCase();
  if (sch !== 'http' && sch !== 'https') return `unsupported scheme "${sch}" (want http or https)`;
  const rest = s.slice(scheme[0].length);
  if (!rest.startsWith('//')) return 'missing host';
  const authority = rest.slice(2).split(/[/?#]/)[0] ?? '';
  const hostport = authority.slice(authority.lastIndexOf('@') + 1);
  if (/[\s<>"{}|\\^`]/.test(hostport)) return 'invalid character in host';
  let host = hostport;
  let port: string | undefined;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) return 'missing "]" in host';
    host = hostport.slice(0, end + 1);
    const after = hostport.slice(end + 1);
    if (after && !after.startsWith(':')) return 'invalid port';
    port = after ? after.slice(1) : undefined;
  } else if (hostport.includes(':')) {
    host = hostport.slice(0, hostport.lastIndexOf(':'));
    port = hostport.slice(hostport.lastIndexOf(':') + 1);
  }
  if (port !== undefined && !/^\d*$/.test(port)) return 'invalid port';
  if (!host) return 'missing host';
  return undefined;
}

/** Why a string is not `host:port` (net.SplitHostPort with a non-empty port), or undefined. */
export function hostPortError(s: string): string | undefined {
  if (s === '') return undefined;
  let port: string;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return 'missing "]" in address';
    if (s[end + 1] !== ':') return 'missing port in address';
    port = s.slice(end + 2);
    if (port.includes(':')) return 'too many colons in address';
  } else {
    const i = s.lastIndexOf(':');
    if (i < 0) return 'missing port in address';
    if (s.slice(0, i).includes(':')) return 'too many colons in address';
    port = s.slice(i + 1);
  }
  if (port === '') return 'port cannot be empty';
  return undefined;
}

/**
 * A scalar as go-yaml v2 (which Alertmanager loads with) resolves it: plain scalars take YAML 1.1's
 * types (`yes`/`on`/`y` are booleans, `0x1F`, `017`, `0o17`, `0b11` and `1_000` integers), quoted and
 * block scalars are strings, explicit tags win. `other` is a timestamp or an unknown tag.
 */
export type GoScalar =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'other' };

const GO_TRUE = ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
const GO_FALSE = ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];
const GO_NULL = ['', '~', 'null', 'Null', 'NULL'];
const GO_FLOAT_WORDS: Record<string, number> = {
  '.nan': Number.NaN,
  '.NaN': Number.NaN,
  '.NAN': Number.NaN,
  '.inf': Number.POSITIVE_INFINITY,
  '.Inf': Number.POSITIVE_INFINITY,
  '.INF': Number.POSITIVE_INFINITY,
  '+.inf': Number.POSITIVE_INFINITY,
  '+.Inf': Number.POSITIVE_INFINITY,
  '+.INF': Number.POSITIVE_INFINITY,
  '-.inf': Number.NEGATIVE_INFINITY,
  '-.Inf': Number.NEGATIVE_INFINITY,
  '-.INF': Number.NEGATIVE_INFINITY,
};
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt/ParseUint with base 0 (sign, then 0x, 0o, 0b, a leading 0 for octal, or decimal). */
function goParseInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const digits = m[2]!;
  const n = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return m[1] === '-' ? -n : n;
}

/** How go-yaml v2 reads a plain scalar's text (resolve.go). */
export function goResolvePlain(text: string): GoScalar {
  if (GO_TRUE.includes(text)) return { kind: 'bool', value: true };
  if (GO_FALSE.includes(text)) return { kind: 'bool', value: false };
  if (GO_NULL.includes(text)) return { kind: 'null' };
  if (text in GO_FLOAT_WORDS) return { kind: 'float', value: GO_FLOAT_WORDS[text]! };
  const c = text[0] ?? '';
  if (c === '.') {
    // strconv.ParseFloat
    return /^\.\d+([eE][-+]?\d+)?$/.test(text) ? { kind: 'float', value: Number(text) } : { kind: 'str', value: text };
  }
  if (!/[-+0-9]/.test(c)) return { kind: 'str', value: text };
  if (/^\d{4}-\d{1,2}-\d{1,2}(?:$|[Tt ])/.test(text)) return { kind: 'other' }; // a timestamp
  const plain = text.replaceAll('_', '');
  const n = goParseInt(plain);
  if (n !== undefined && n >= INT64_MIN && n <= UINT64_MAX) return { kind: 'int', value: n };
  if (YAML_STYLE_FLOAT.test(plain)) return { kind: 'float', value: Number(plain) };
  return { kind: 'str', value: text };
}

/** A YAML node's value as go-yaml v2 resolves it (`yaml` parses with YAML 1.2's core schema). */
export function goScalar(n: Node | null | undefined): GoScalar {
  if (n === null || n === undefined) return { kind: 'null' };
  if (!isScalar(n)) return { kind: 'other' };
  const text = typeof n.value === 'string' ? n.value : (n.source ?? String(n.value ?? ''));
  const tag = n.tag?.replace(/^tag:yaml\.org,2002:/, '!!');
  if (n.value === null && !tag) return { kind: 'null' };
  if (tag === '!!str') return { kind: 'str', value: text };
  if (tag === undefined) return n.type === 'PLAIN' ? goResolvePlain(text) : { kind: 'str', value: text };
  const r = goResolvePlain(text);
  const want = { '!!bool': 'bool', '!!int': 'int', '!!float': 'float', '!!null': 'null' }[tag];
  return r.kind === want ? r : { kind: 'other' };
}

/** Go type names for the scalar fields that are not strings. */
export type GoType = 'bool' | 'int64' | 'uint64';

/**
 * Why go-yaml v2 will not decode this node into a `type` field (decode.go), or undefined. Null is
 * the zero value; floats are truncated into integers, as go-yaml does.
 */
export function goTypeError(n: Node, type: GoType): string | undefined {
  const r = goScalar(n);
  if (r.kind === 'null') return undefined;
  if (type === 'bool' && r.kind === 'bool') return undefined;
  if (type === 'int64') {
    if (r.kind === 'int' && r.value <= -INT64_MIN - 1n) return undefined;
    if (r.kind === 'float' && r.value <= 2 ** 63) return undefined;
  }
  if (type === 'uint64') {
    if (r.kind === 'int' && r.value >= 0n) return undefined;
    if (r.kind === 'float' && r.value <= 2 ** 64) return undefined;
  }
  const goTag = r.kind === 'other' ? (isScalar(n) ? 'the value' : 'a non-scalar') : `!!${r.kind}`;
  const text = scalarString(n) ?? '';
  return `cannot unmarshal ${goTag} \`${text}\` into ${type}`;
}

/** The boolean go-yaml v2 reads (`yes`, `on`, `true`...), or undefined when it is not one. */
export function goBool(n: Node | null | undefined): boolean | undefined {
  const r = goScalar(n);
  return r.kind === 'bool' ? r.value : undefined;
}

/** The integer a Go int field gets (floats truncated), or undefined. */
export function goInt(n: Node | null | undefined): bigint | undefined {
  const r = goScalar(n);
  if (r.kind === 'int') return r.value;
  if (r.kind === 'float' && Number.isFinite(r.value)) return BigInt(Math.trunc(r.value));
  return undefined;
}

/** prometheus/common's TLSVersion names. */
export const TLS_VERSIONS = ['TLS10', 'TLS11', 'TLS12', 'TLS13'];

/** Zone names time.LoadLocation finds on Linux that ICU does not know (files of the zoneinfo tree). */
const GO_ONLY_ZONES = new Set(['Factory', 'posixrules', 'localtime']);
/** Names ICU still accepts that tzdata removed (Go reads the system's tzdata). */
const REMOVED_ZONES = new Set(['US/Pacific-New', 'Canada/East-Saskatchewan']);

/**
 * Why time.LoadLocation refuses a name, or undefined: "" is UTC, `UTC` and `Local` are built in,
 * anything else must be an IANA zone name, spelt with its case (Linux's zoneinfo is a directory
 * tree). ICU (Intl) stands in for the tzdata Alertmanager's host has.
 */
export function timeZoneError(name: string): string | undefined {
  if (name === '' || name === 'UTC' || name === 'Local') return undefined;
  const zone = name.replace(/^(?:posix|right)\//, '');
  if (GO_ONLY_ZONES.has(zone)) return undefined;
  const unknown = `unknown time zone ${name}`;
  if (REMOVED_ZONES.has(zone) || zone.includes('..') || zone.startsWith('/')) return unknown;
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return unknown;
  }
  // Intl ignores case; the zoneinfo files do not. Zone names' parts start with a capital letter.
  if ((resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) || /(?:^|\/)[a-z]/.test(zone))
    return unknown;
  // Intl takes offsets such as +01:00 too; LoadLocation only names.
  if (!/^[A-Za-z]/.test(zone)) return unknown;
  return undefined;
}
