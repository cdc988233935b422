/**
 * Alertmanager's value types, as Go parses them: URLs (config.URL: http or https with a host),
 * host:port (net.SplitHostPort), Go durations (time.ParseDuration) and Prometheus durations.
 */

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
