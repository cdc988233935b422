/** Prometheus durations as `model.ParseDuration` (2.x) accepts them: `1h30m`, `5m`, `0`; no fractions. */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3, 1];

/** Milliseconds, or undefined when `s` is not a valid duration. */
export function parseDuration(s: string): number | undefined {
  if (s === '0') return 0;
  if (!s) return undefined;
  const m = DURATION.exec(s);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 1; i < m.length; i++) if (m[i]) ms += Number(m[i]) * (UNIT_MS[i - 1] ?? 0);
  return ms;
}

export function durationError(s: string): string {
  return s === ''
    ? 'empty duration string'
    : `not a valid duration string: ${JSON.stringify(s)} (use e.g. 30s, 5m, 1h30m)`;
}
