/**
 * The one duration parser. Prometheus's own syntax (`model.ParseDuration` in 2.x: `1h30m`, `5m`,
 * `250ms`, `0`; whole numbers only, units largest first) for config values, rule files and
 * PromQL; flags and environment variables also take a bare number of seconds (`1.5`), as
 * redis_exporter's do.
 */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3, 1];

/** Milliseconds of a Prometheus duration, or undefined when `text` is not one. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (!text) return undefined;
  const m = DURATION.exec(text);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 1; i < m.length; i++) if (m[i]) ms += Number(m[i]) * (UNIT_MS[i - 1] ?? 0);
  return ms;
}

const FRACTION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)?$/;
const FRACTION_MS: Record<string, number> = {
  ms: 1,
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86400e3,
  w: 7 * 86400e3,
  y: 365 * 86400e3,
};

/**
 * Milliseconds of a flag value: a Prometheus duration (`1m30s`), a number with one unit that may
 * have a fraction (`1.5s`, as redis_exporter's flags take), or a bare number of seconds; undefined
 * otherwise.
 */
export function parseFlagDuration(text: string): number | undefined {
  const t = text.trim();
  const m = FRACTION.exec(t);
  if (m) return Math.round(Number(m[1]) * (FRACTION_MS[m[2] ?? 's'] ?? 1e3));
  return parseDuration(t);
}

/** Seconds of a Prometheus duration. @throws Error naming the value when it is not one. */
export function durationSeconds(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`Invalid duration "${text}": expected e.g. 30s, 5m, 1h30m or 250ms`);
  return ms / 1000;
}
