/** Prometheus durations as `model.ParseDuration` (2.x) accepts them; the one parser lives in runtime/duration.ts. */
export { parseDuration } from '../runtime/duration.js';

export function durationError(s: string): string {
  return s === ''
    ? 'empty duration string'
    : `not a valid duration string: ${JSON.stringify(s)} (use e.g. 30s, 5m, 1h30m)`;
}
