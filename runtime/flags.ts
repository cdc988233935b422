/**
 * The one flag parser, for the CLI, the queue exporter and the reference app. A spec maps camelCase
 * keys to `--kebab-case` flags, each optionally backed by an environment variable (the flag wins).
 * Values are checked here, so a bad value stops a program at start-up with a message that names
 * the flag or variable and what would be valid: `--port: "x" is not a whole number`.
 *
 * @example
 *   const spec = { port: { kind: 'int', env: 'PORT', default: 8080, help: 'HTTP port' } } satisfies FlagSpecs;
 *   const { values } = parseFlags(spec, process.argv.slice(2), { env: process.env });
 */
import { parseFlagDuration } from './duration.js';
import { UsageError } from './errors.js';

/**
 * `string`; `int` (whole number, `min`/`max`); `number`; `bool` (`--x`, `--no-x`, env 1/0,
 * true/false, yes/no, on/off); `list` (comma-separated); `strings` (repeatable, and
 * comma-separated in the environment); `duration` (milliseconds from `250ms`, `10s`, `1m` or a
 * bare number of seconds).
 */
export type FlagKind = 'string' | 'int' | 'number' | 'bool' | 'list' | 'strings' | 'duration';

type ValueOf<K extends FlagKind> = K extends 'int' | 'number' | 'duration'
  ? number
  : K extends 'bool'
    ? boolean
    : K extends 'list' | 'strings'
      ? string[]
      : string;

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly help: string;
  /** Environment variable read when the flag is absent. */
  readonly env?: string;
  /** Read only from `env`, never a flag (a password on the command line shows in `ps`). */
  readonly envOnly?: boolean;
  /** Value when neither the flag nor its variable is set; a duration's default is in milliseconds. */
  readonly default?: string | number | boolean | readonly string[];
  /** Placeholder in the help text (`FILE`, `URL`); defaults to the kind. */
  readonly arg?: string;
  /** Bounds of an `int`, `number` or `duration` (milliseconds), inclusive. */
  readonly min?: number;
  readonly max?: number;
  /** The accepted values of a `string` flag. */
  readonly choices?: readonly string[];
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** Flags with a default (and repeatable or boolean flags) always have a value; the rest may be undefined. */
export type FlagValues<S extends FlagSpecs> = {
  -readonly [K in keyof S]: S[K] extends { default: unknown }
    ? ValueOf<S[K]['kind']>
    : S[K]['kind'] extends 'bool' | 'strings'
      ? ValueOf<S[K]['kind']>
      : ValueOf<S[K]['kind']> | undefined;
};

export interface ParsedFlags<S extends FlagSpecs> {
  values: FlagValues<S>;
  /** Arguments that are not flags (only when `positionals` is allowed), and everything after `--`. */
  positionals: string[];
  /** `--help` or `-h` was given: print the help and exit 0. */
  help: boolean;
  /** `--version` was given (only when `version` is allowed). */
  version: boolean;
}

export interface ParseOptions {
  /** Environment variables to read (none when omitted). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Accept arguments that are not flags (file paths); otherwise they are a usage error. */
  positionals?: boolean;
  /** Accept `--version`. */
  version?: boolean;
}

/** `redisUrl` → `redis-url` */
export const flagName = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const keyOf = (flag: string): string => flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function describe(spec: FlagSpec): string {
  switch (spec.kind) {
    case 'int':
      return `a whole number${bounds(spec)}`;
    case 'number':
      return `a number${bounds(spec)}`;
    case 'duration':
      return `a duration such as 500ms, 10s or 1m${bounds(spec, (ms) => `${ms / 1000}s`)}`;
    case 'bool':
      return 'true or false (1/0, yes/no, on/off)';
    default:
      return spec.choices ? `one of ${spec.choices.join(', ')}` : 'a value';
  }
}

function bounds(spec: FlagSpec, show: (n: number) => string = String): string {
  if (spec.min !== undefined && spec.max !== undefined) return ` from ${show(spec.min)} to ${show(spec.max)}`;
  if (spec.min !== undefined) return ` of at least ${show(spec.min)}`;
  if (spec.max !== undefined) return ` of at most ${show(spec.max)}`;
  return '';
}

function convert(spec: FlagSpec, raw: string, where: string): string | number | boolean | string[] {
  const bad = (): never => {
    throw new UsageError(`${where}: "${raw}" is not ${describe(spec)}`);
  };
  const inBounds = (n: number): number =>
    (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max) ? bad() : n;
  switch (spec.kind) {
    case 'int':
      return /^\s*-?\d+\s*$/.test(raw) ? inBounds(Number(raw)) : bad();
    case 'number': {
      const n = raw.trim() === '' ? Number.NaN : Number(raw);
      return Number.isFinite(n) ? inBounds(n) : bad();
    }
    case 'duration': {
      const ms = parseFlagDuration(raw);
      return ms === undefined ? bad() : inBounds(ms);
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(raw.trim())) return true;
      if (/^(0|false|no|off)$/i.test(raw.trim())) return false;
      return bad();
    case 'list':
    case 'strings':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      // An empty value is a mistake (`--out "$UNSET"`), never a way to ask for the default.
      if (raw === '') throw new UsageError(`${where}: needs a non-empty value`);
      return spec.choices && !spec.choices.includes(raw) ? bad() : raw;
  }
}

/** Whether `arg` (`--name`, `--name=v`, `--no-name`) is one of the options of `spec`. */
function isOption(spec: FlagSpecs, arg: string): boolean {
  const name = arg.slice(2).split('=')[0]!;
  const known = (k: string) => Object.hasOwn(spec, k) && !spec[k]?.envOnly;
  return known(keyOf(name)) || (name.startsWith('no-') && spec[keyOf(name.slice(3))]?.kind === 'bool');
}

/**
 * Parses `argv` against `spec`. Accepts `--flag value`, `--flag=value`, `--bool`, `--no-bool`,
 * `-h`/`--help` and `--` (the rest are positionals).
 * @throws UsageError naming the flag or variable at fault.
 */
export function parseFlags<const S extends FlagSpecs>(
  spec: S,
  argv: readonly string[],
  opts: ParseOptions = {},
): ParsedFlags<S> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(spec)) {
    const raw = s.env ? opts.env?.[s.env] : undefined;
    if (raw !== undefined && raw !== '') out[key] = convert(s, raw, `environment variable ${s.env}`);
    else if (s.default !== undefined) out[key] = Array.isArray(s.default) ? [...s.default] : s.default;
    else if (s.kind === 'bool') out[key] = false;
    else if (s.kind === 'strings') out[key] = [];
  }
  const fromFlag = new Set<string>();
  const positionals: string[] = [];
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--version' && opts.version) {
      version = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!opts.positionals) throw new UsageError(`unexpected argument "${arg}" (options start with --)`);
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    let key = keyOf(name);
    let s: FlagSpec | undefined = Object.hasOwn(spec, key) ? spec[key] : undefined;
    let negated = false;
    if (!s && name.startsWith('no-')) {
      const k = keyOf(name.slice(3));
      if (Object.hasOwn(spec, k) && spec[k]?.kind === 'bool') {
        key = k;
        s = spec[k];
        negated = true;
      }
    }
    if (!s || s.envOnly) {
      const valid = Object.entries(spec)
        .filter(([, x]) => !x.envOnly)
        .map(([k]) => `--${flagName(k)}`);
      const hint = s?.envOnly ? ` (it is read from the environment variable ${s.env} only)` : '';
      throw new UsageError(`unknown option --${name}${hint}; valid: ${valid.join(', ')}`);
    }
    if (s.kind === 'bool' && (eq === -1 || negated)) {
      if (negated && eq !== -1) throw new UsageError(`--${name} takes no value`);
      out[key] = !negated;
      fromFlag.add(key);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    // `--listen --redis-url redis://…`: the value was forgotten and the next option taken for it.
    // Only a known option counts (a value may start with --, e.g. node flags for a benchmark).
    if (eq === -1 && value?.startsWith('--') && isOption(spec, value))
      throw new UsageError(`--${name} needs a value before the option ${value.split('=')[0]}`);
    if (value === undefined) {
      const what = describe(s);
      throw new UsageError(`--${name} needs a value${what === 'a value' ? '' : ` (${what})`}`);
    }
    const v = convert(s, value, `--${name}`);
    if (s.kind === 'strings') {
      // A repeatable flag replaces its environment value, then accumulates.
      out[key] = fromFlag.has(key) ? [...(out[key] as string[]), ...(v as string[])] : v;
    } else out[key] = v;
    fromFlag.add(key);
  }
  return { values: out as FlagValues<S>, positionals, help, version };
}

/** The options table for `--help`: flag, variable, description and default, one line each. */
export function flagTable(spec: FlagSpecs, opts: { version?: boolean } = {}): string {
  const rows = Object.entries(spec).map(([key, s]) => {
    const placeholder = s.arg ?? s.kind.toUpperCase();
    const flag = s.envOnly ? '' : s.kind === 'bool' ? `--${flagName(key)}` : `--${flagName(key)} ${placeholder}`;
    const dflt =
      s.default === undefined || s.default === false || (Array.isArray(s.default) && s.default.length === 0)
        ? ''
        : ` (default ${s.kind === 'duration' ? `${Number(s.default) / 1000}s` : String(s.default)})`;
    return [flag, s.env ?? '', `${s.help}${dflt}`] as const;
  });
  if (opts.version) rows.push(['--version', '', 'show the version']);
  rows.push(['--help', '', 'show this help']);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return rows.map(([f, e, h]) => `  ${f.padEnd(w0)}  ${e.padEnd(w1)}  ${h}`.trimEnd()).join('\n');
}

/** Log levels every service accepts (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The `--log-level` / `LOG_LEVEL` flag every service shares. */
export const logLevelFlag = {
  kind: 'string',
  env: 'LOG_LEVEL',
  default: 'info',
  choices: LOG_LEVELS,
  arg: 'LEVEL',
  help: LOG_LEVELS.join(', '),
} as const satisfies FlagSpec;
