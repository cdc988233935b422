import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { type FlagSpecs, flagTable, parseFlags } from './flags.js';

const spec = {
  port: { kind: 'int', env: 'PORT', default: 8080, min: 0, max: 65535, help: 'port' },
  options: { kind: 'list', env: 'VOTE_OPTIONS', default: ['cats', 'dogs'], help: 'options' },
  metrics: { kind: 'bool', default: true, help: 'metrics' },
  databaseUrl: { kind: 'string', env: 'DATABASE_URL', arg: 'URL', help: 'db' },
  timeout: { kind: 'duration', env: 'SCRAPE_TIMEOUT', default: 10_000, min: 1, help: 'deadline' },
  exclude: { kind: 'strings', help: 'repeatable' },
  format: { kind: 'string', default: 'human', choices: ['human', 'json'], help: 'format' },
  password: { kind: 'string', env: 'REDIS_PASSWORD', envOnly: true, help: 'secret' },
} satisfies FlagSpecs;

describe('parseFlags', () => {
  it('lets a flag win over its environment variable, and the variable over the default', () => {
    const r = parseFlags(spec, ['--port', '9000', '--no-metrics', '--timeout=1.5'], {
      env: { PORT: '7000', VOTE_OPTIONS: 'a, b', REDIS_PASSWORD: 's3cret' },
    });
    expect(r.values).toEqual({
      port: 9000,
      options: ['a', 'b'],
      metrics: false,
      databaseUrl: undefined,
      timeout: 1500,
      exclude: [],
      format: 'human',
      password: 's3cret',
    });
    expect(r.help).toBe(false);
  });

  it('reads durations as Prometheus does, plus bare seconds', () => {
    const t = (v: string) => parseFlags(spec, ['--timeout', v]).values.timeout;
    expect([t('250ms'), t('10s'), t('1m'), t('1h30m'), t('2')]).toEqual([250, 10_000, 60_000, 5_400_000, 2000]);
  });

  it('accumulates repeatable flags, splitting commas', () => {
    expect(parseFlags(spec, ['--exclude', 'a,b', '--exclude=c']).values.exclude).toEqual(['a', 'b', 'c']);
  });

  it('names the culprit on bad input, and what would be valid', () => {
    const err = (argv: string[], env = {}) => {
      try {
        parseFlags(spec, argv, { env });
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err(['--port', 'x'])).toBe('--port: "x" is not a whole number from 0 to 65535');
    expect(err(['--port', '70000'])).toMatch(/--port: "70000" is not a whole number from 0 to 65535/);
    expect(err([], { PORT: '-1' })).toMatch(/^environment variable PORT: "-1"/);
    expect(err(['--timeout', '5 minutes'])).toMatch(/--timeout: "5 minutes" is not a duration such as 500ms/);
    expect(err(['--timeout', '0'])).toMatch(/of at least 0.001s/);
    expect(err(['--format', 'xml'])).toBe('--format: "xml" is not one of human, json');
    expect(err(['--nope'])).toMatch(/^unknown option --nope; valid: --port, --options/);
    expect(err(['--password', 'x'])).toMatch(
      /unknown option --password \(it is read from the environment variable REDIS_PASSWORD only\)/,
    );
    expect(err(['--port'])).toMatch(/--port needs a value/);
    expect(err(['--database-url', ''])).toBe('--database-url: needs a non-empty value');
    expect(err(['--format='])).toBe('--format: needs a non-empty value');
    expect(err(['--no-metrics=1'])).toMatch(/--no-metrics takes no value/);
    expect(err(['stray'])).toMatch(/unexpected argument "stray"/);
    // A forgotten value: the next known option is named, not taken as the value.
    expect(err(['--database-url', '--port', '1'])).toBe('--database-url needs a value before the option --port');
    expect(err(['--database-url', '--no-metrics'])).toMatch(/needs a value before the option --no-metrics/);
    expect(err(['-x'])).toBe('unknown option -x');
  });

  it('takes positionals only when asked, and everything after --', () => {
    const r = parseFlags(spec, ['a.yml', '--format', 'json', 'dir/', '--', '--not-a-flag'], { positionals: true });
    expect(r.positionals).toEqual(['a.yml', 'dir/', '--not-a-flag']);
    expect(r.values.format).toBe('json');
  });

  it('reports --help and, when allowed, --version', () => {
    expect(parseFlags(spec, ['-h']).help).toBe(true);
    expect(parseFlags(spec, ['--version'], { version: true }).version).toBe(true);
    expect(() => parseFlags(spec, ['--version'])).toThrow(/unknown option --version/);
  });

  it('prints an options table with flags, variables and defaults', () => {
    const t = flagTable(spec);
    expect(t).toMatch(/--database-url URL\s+DATABASE_URL\s+db/);
    expect(t).toMatch(/--timeout DURATION\s+SCRAPE_TIMEOUT\s+deadline \(default 10s\)/);
    expect(t).toMatch(/^\s+REDIS_PASSWORD\s+secret$/m);
    expect(t).toMatch(/--help\s+show this help/);
    expect(t).not.toContain('--version');
    expect(flagTable(spec, { version: true })).toMatch(/--version\s+show the version\n\s+--help/);
  });
});
