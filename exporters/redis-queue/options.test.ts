import { describe, expect, it } from 'vitest';
import { UsageError } from '../../scripts/lib/errors.js';
import { parseDurationMs, parseListen, parseOptions } from './options.js';
import { deadlineMs } from './server.js';

describe('parseOptions', () => {
  it('reads env and lets flags win', () => {
    const o = parseOptions(['--redis-url', 'redis://flag:1', '--scrape-timeout=2s', '--no-type-cache'], {
      REDIS_URL: 'redis://env:2',
      LISTEN_ADDRESS: '127.0.0.1:9200',
      MIXIN_CONFIG: 'm.yaml',
      REDIS_PASSWORD: 'pw',
    });
    expect(o).toMatchObject({
      redisUrl: 'redis://flag:1',
      listenHost: '127.0.0.1',
      listenPort: 9200,
      config: 'm.yaml',
      scrapeTimeoutMs: 2000,
      typeCache: false,
      redisPassword: 'pw',
    });
  });
  it('names the flag or variable at fault', () => {
    expect(() => parseOptions(['--pipeline-size', '0'], {})).toThrow(/--pipeline-size: "0" must be an integer >= 1/);
    expect(() => parseOptions([], { SCRAPE_TIMEOUT: 'x' })).toThrow(/SCRAPE_TIMEOUT: "x" is not a duration/);
    expect(() => parseOptions(['--tls-cert-file', 'c'], {})).toThrow(UsageError);
    expect(() => parseOptions(['--redis-password', 'x'], {})).toThrow(/unknown option --redis-password/);
  });
  it('parses listen addresses and durations', () => {
    expect(parseListen(':9121')).toEqual({ host: undefined, port: 9121 });
    expect(parseListen('[::1]:9121')).toEqual({ host: '::1', port: 9121 });
    expect(parseDurationMs('250ms', 'x')).toBe(250);
    expect(parseDurationMs('1.5', 'x')).toBe(1500);
  });
});

describe('deadlineMs', () => {
  it("takes Prometheus's scrape timeout minus the margin, capped by the configured deadline", () => {
    expect(deadlineMs('10', 5000, 500)).toBe(5000);
    expect(deadlineMs('2', 5000, 500)).toBe(1500);
    expect(deadlineMs(undefined, 5000, 500)).toBe(5000);
    expect(deadlineMs('0.6', 5000, 500)).toBe(300);
    expect(deadlineMs('junk', 5000, 500)).toBe(5000);
  });
});
