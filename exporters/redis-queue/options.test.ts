import { describe, expect, it } from 'vitest';
import { UsageError } from 'voting-mixin/runtime';
import { HELP, parseListen, parseOptions } from './options.js';
import { deadlineMs } from './server.js';

describe('parseOptions', () => {
  it('has the documented defaults', () => {
    expect(parseOptions([], {})).toEqual({
      listenHost: undefined,
      listenPort: 9121,
      redisUrl: 'redis://127.0.0.1:6379',
      redisUser: undefined,
      redisPasswordFile: undefined,
      redisPassword: undefined,
      tlsCaFile: undefined,
      tlsCertFile: undefined,
      tlsKeyFile: undefined,
      tlsSkipVerify: false,
      config: undefined,
      scrapeTimeoutMs: 10_000,
      timeoutMarginMs: 500,
      pipelineSize: 1000,
      scanCount: 1000,
      typeCache: true,
      maxTargets: 0,
      logLevel: 'info',
      help: false,
      version: false,
    });
  });
  it('reads env and lets flags win', () => {
    const o = parseOptions(['--redis-url', 'redis://flag:1', '--scrape-timeout=2s', '--no-type-cache'], {
      REDIS_URL: 'redis://env:2',
      LISTEN_ADDRESS: '127.0.0.1:9200',
      MIXIN_CONFIG: 'm.yaml',
      REDIS_PASSWORD: 'pw',
      TYPE_CACHE: '1',
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
  it('reads every variable', () => {
    const o = parseOptions([], {
      REDIS_USER: 'ops',
      REDIS_PASSWORD_FILE: '/run/secrets/pw',
      REDIS_TLS_CA_FILE: 'ca.pem',
      REDIS_TLS_CERT_FILE: 'c.pem',
      REDIS_TLS_KEY_FILE: 'k.pem',
      REDIS_TLS_SKIP_VERIFY: 'yes',
      SCRAPE_TIMEOUT: '1.5',
      SCRAPE_TIMEOUT_MARGIN: '250ms',
      PIPELINE_SIZE: '50',
      SCAN_COUNT: '200',
      TYPE_CACHE: '0',
      MAX_TARGETS: '4',
      LOG_LEVEL: 'debug',
    });
    expect(o).toMatchObject({
      redisUser: 'ops',
      redisPasswordFile: '/run/secrets/pw',
      tlsCaFile: 'ca.pem',
      tlsCertFile: 'c.pem',
      tlsKeyFile: 'k.pem',
      tlsSkipVerify: true,
      scrapeTimeoutMs: 1500,
      timeoutMarginMs: 250,
      pipelineSize: 50,
      scanCount: 200,
      typeCache: false,
      maxTargets: 4,
      logLevel: 'debug',
    });
  });
  it('takes --help, -h and --version', () => {
    expect(parseOptions(['--help'], {}).help).toBe(true);
    expect(parseOptions(['-h'], {}).help).toBe(true);
    expect(parseOptions(['--version'], {}).version).toBe(true);
  });
  it('names the flag or variable at fault', () => {
    expect(() => parseOptions(['--pipeline-size', '0'], {})).toThrow(
      /^--pipeline-size: "0" is not a whole number of at least 1$/,
    );
    expect(() => parseOptions([], { SCRAPE_TIMEOUT: 'x' })).toThrow(
      /^environment variable SCRAPE_TIMEOUT: "x" is not a duration such as 500ms, 10s or 1m/,
    );
    expect(() => parseOptions(['--scrape-timeout', '0'], {})).toThrow(/^--scrape-timeout: "0" is not a duration/);
    expect(() => parseOptions([], { MAX_TARGETS: '-1' })).toThrow(
      /^environment variable MAX_TARGETS: "-1" is not a whole number of at least 0$/,
    );
    expect(() => parseOptions(['--log-level', 'loud'], {})).toThrow(/^--log-level: "loud" is not one of fatal, error/);
    expect(() => parseOptions([], { TYPE_CACHE: 'maybe' })).toThrow(/^environment variable TYPE_CACHE: "maybe"/);
    expect(() => parseOptions(['--listen', 'nowhere'], {})).toThrow(/^--listen: "nowhere" is not host:port/);
    expect(() => parseOptions(['--bogus'], {})).toThrow(/^unknown option --bogus/);
    expect(() => parseOptions(['extra'], {})).toThrow(/unexpected argument "extra"/);
  });
  it('takes mutual TLS files only together', () => {
    expect(() => parseOptions(['--tls-cert-file', 'c'], {})).toThrow(UsageError);
    expect(() => parseOptions([], { REDIS_TLS_KEY_FILE: 'k' })).toThrow(
      /--tls-cert-file and --tls-key-file go together/,
    );
  });
  it('refuses the password as a flag: REDIS_PASSWORD is read from the environment only', () => {
    expect(() => parseOptions(['--redis-password', 'x'], {})).toThrow(UsageError);
    expect(() => parseOptions(['--redis-password', 'x'], {})).toThrow(
      /^unknown option --redis-password \(it is read from the environment variable REDIS_PASSWORD only\)/,
    );
    expect(() => parseOptions(['--redis-password=x'], {})).toThrow(/unknown option --redis-password/);
  });
  it('parses listen addresses and durations', () => {
    expect(parseListen(':9121')).toEqual({ host: undefined, port: 9121 });
    expect(parseListen('9121')).toEqual({ host: undefined, port: 9121 });
    expect(parseListen('127.0.0.1:9121')).toEqual({ host: '127.0.0.1', port: 9121 });
    expect(parseListen('[::1]:9121')).toEqual({ host: '::1', port: 9121 });
    expect(() => parseListen('h:70000')).toThrow(UsageError);
    expect(parseOptions(['--scrape-timeout', '250ms'], {}).scrapeTimeoutMs).toBe(250);
    expect(parseOptions(['--scrape-timeout', '1.5'], {}).scrapeTimeoutMs).toBe(1500);
    expect(parseOptions(['--scrape-timeout', '1m'], {}).scrapeTimeoutMs).toBe(60_000);
    expect(parseOptions(['--timeout-margin', '0'], {}).timeoutMarginMs).toBe(0);
  });
});

describe('HELP', () => {
  it('lists every flag with its variable, REDIS_PASSWORD without a flag', () => {
    for (const [flag, env] of [
      ['--listen ADDR', 'LISTEN_ADDRESS'],
      ['--redis-url URL', 'REDIS_URL'],
      ['--redis-password-file FILE', 'REDIS_PASSWORD_FILE'],
      ['--tls-skip-verify', 'REDIS_TLS_SKIP_VERIFY'],
      ['--scrape-timeout DUR', 'SCRAPE_TIMEOUT'],
      ['--timeout-margin DUR', 'SCRAPE_TIMEOUT_MARGIN'],
      ['--type-cache', 'TYPE_CACHE'],
      ['--max-targets N', 'MAX_TARGETS'],
      ['--log-level LEVEL', 'LOG_LEVEL'],
    ] as const) {
      expect(HELP).toMatch(new RegExp(`^  ${flag} +${env} `, 'm'));
    }
    expect(HELP).toMatch(/^ +REDIS_PASSWORD +the password itself/m);
    expect(HELP).not.toContain('--redis-password ');
    expect(HELP).toMatch(/^ {2}--version +show the version$/m);
    // --version's description lines up with the table's.
    const column = (row: string, text: string) =>
      HELP.split('\n')
        .find((l) => l.startsWith(row))!
        .indexOf(text);
    expect(column('  --version', 'show the version')).toBe(column('  --help', 'show this help'));
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
