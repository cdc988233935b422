/**
 * Flags AND environment variables for the service entry points; a flag wins over its env var.
 * `--help` prints the table; a bad value is a usage error naming the flag and what would be valid.
 */
export type FlagKind = 'string' | 'int' | 'bool' | 'list';

export interface FlagSpec {
  kind: FlagKind;
  env?: string;
  default?: string | number | boolean | string[];
  help: string;
}

type ValueOf<K extends FlagKind> = K extends 'int'
  ? number
  : K extends 'bool'
    ? boolean
    : K extends 'list'
      ? string[]
      : string;
export type FlagValues<S extends Record<string, FlagSpec>> = {
  [K in keyof S]: S[K] extends { default: string | number | boolean | string[] }
    ? ValueOf<S[K]['kind']>
    : ValueOf<S[K]['kind']> | undefined;
};

export class FlagError extends Error {
  override name = 'FlagError';
}

export type ParseResult<S extends Record<string, FlagSpec>> = { help: string } & (
  | { kind: 'help' }
  | { kind: 'ok'; values: FlagValues<S> }
);

/** kebab-case flag name → camelCase key */
const keyOf = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const flagOf = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function convert(spec: FlagSpec, raw: string, where: string): string | number | boolean | string[] {
  switch (spec.kind) {
    case 'int': {
      if (!/^\d+$/.test(raw)) throw new FlagError(`${where}: expected a non-negative integer, got "${raw}"`);
      return Number(raw);
    }
    case 'bool': {
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off|)$/i.test(raw)) return false;
      throw new FlagError(`${where}: expected true/false/1/0, got "${raw}"`);
    }
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}

export function helpText<S extends Record<string, FlagSpec>>(usage: string, spec: S): string {
  const rows = Object.entries(spec).map(([key, s]) => {
    const flag = s.kind === 'bool' ? `--${flagOf(key)}` : `--${flagOf(key)} <${s.kind === 'list' ? 'a,b' : s.kind}>`;
    const extra = [
      s.env ? `env ${s.env}` : '',
      s.default !== undefined && s.default !== false ? `default ${String(s.default)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `  ${flag.padEnd(30)} ${s.help}${extra ? ` (${extra})` : ''}`;
  });
  return `${usage}\n\nOptions (flags win over environment variables):\n${rows.join('\n')}\n  ${'--help'.padEnd(30)} this text\n`;
}

export function parseFlags<S extends Record<string, FlagSpec>>(
  usage: string,
  spec: S,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ParseResult<S> {
  const help = helpText(usage, spec);
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(spec)) {
    const raw = s.env ? env[s.env] : undefined;
    out[key] = raw !== undefined && raw !== '' ? convert(s, raw, `environment variable ${s.env}`) : s.default;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help', help };
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument "${arg}" (see --help)`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let key = keyOf(name);
    let s = spec[key];
    if (!s && name.startsWith('no-') && spec[keyOf(name.slice(3))]?.kind === 'bool') {
      key = keyOf(name.slice(3));
      s = spec[key]!;
      if (value !== undefined) throw new FlagError(`--${name} takes no value`);
      out[key] = false;
      continue;
    }
    if (!s)
      throw new FlagError(
        `unknown flag --${name}; valid: ${Object.keys(spec)
          .map((k) => `--${flagOf(k)}`)
          .join(', ')}`,
      );
    if (s.kind === 'bool' && value === undefined) {
      out[key] = true;
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new FlagError(`--${name} needs a value`);
    }
    out[key] = convert(s, value, `--${name}`);
  }
  return { kind: 'ok', help, values: out as FlagValues<S> };
}
