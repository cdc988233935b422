import { describe, expect, it } from 'vitest';
import { durationSeconds, parseDuration, parseFlagDuration } from './duration.js';

describe('durations', () => {
  it('parses what Prometheus 2.x accepts and nothing else', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('1y2w3d')).toBe((365 + 14 + 3) * 86_400_000);
    for (const bad of ['', '1.5m', '5', '30m1h', '1 h', '-5m', '5M']) expect(parseDuration(bad), bad).toBeUndefined();
  });
  it('takes bare seconds on flags', () => {
    expect(parseFlagDuration('1.5')).toBe(1500);
    expect(parseFlagDuration('1.5s')).toBe(1500);
    expect(parseFlagDuration('0.5m')).toBe(30_000);
    expect(parseFlagDuration('1m30s')).toBe(90_000);
    expect(parseFlagDuration(' 10s ')).toBe(10_000);
    expect(parseFlagDuration('x')).toBeUndefined();
  });
  it('gives seconds for config values and names a bad one', () => {
    expect(durationSeconds('5m')).toBe(300);
    expect(durationSeconds('250ms')).toBe(0.25);
    expect(() => durationSeconds('5 minutes')).toThrow(/Invalid duration "5 minutes"/);
  });
});
