/**
 * Command-line flags and environment variables of the exporter (flags win over env), checked
 * up front so a bad value stops the start with a message naming the flag, never mid-scrape.
 */
import { UsageError } from '../../scripts/lib/errors.js';

export interface ExporterOptions {
  listenHost: string | undefined;
  listenPort: number;
  redisUrl: string;
  redisUser: string | undefined;
  redisPasswordFile: string | undefined;
  /** From REDIS_PASSWORD only: a flag would show the password in `ps`. */
  redisPassword: string | undefined;
  tlsCaFile: string | undefined;
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  tlsSkipVerify: boolean;
  config: string | undefined;
  scrapeTimeoutMs: number;
  timeoutMarginMs: number;
  pipelineSize: number;
  scanCount: number;
  typeCache: boolean;
  maxTargets: number;
  logLevel: string;
  help: boolean;
  version: boolean;
}

export const HELP = `Usage: redis-queue-exporter [options]

Prometheus exporter for Redis queues: length, oldest-item age, processing lists, stream groups,
plus Redis health from INFO. Queues come from the mixin config's \`queues\`.

Options (flag, then environment variable; flags win):
  --listen ADDR              LISTEN_ADDRESS         host:port to serve on (default :9121)
  --redis-url URL            REDIS_URL              redis://[user[:password]@]host[:port][/db], rediss:// for TLS
                                                    (default redis://127.0.0.1:6379)
  --redis-user USER          REDIS_USER             ACL user name (Redis 6+)
  --redis-password-file F    REDIS_PASSWORD_FILE    read the password from file F (trailing newline dropped)
                             REDIS_PASSWORD         the password itself (env only, never a flag)
  --tls-ca-file F            REDIS_TLS_CA_FILE      CA bundle to verify the Redis server (enables TLS)
  --tls-cert-file F          REDIS_TLS_CERT_FILE    client certificate for mutual TLS
  --tls-key-file F           REDIS_TLS_KEY_FILE     client key for mutual TLS
  --tls-skip-verify          REDIS_TLS_SKIP_VERIFY=1  do not verify the server certificate
  --config FILE              MIXIN_CONFIG           mixin config (YAML/JSON/JS); default voting-mixin.config.* in
                                                    the working directory, else the built-in queues (votes)
  --scrape-timeout DUR       SCRAPE_TIMEOUT         collection deadline without a Prometheus header (default 10s)
  --timeout-margin DUR       SCRAPE_TIMEOUT_MARGIN  kept free of X-Prometheus-Scrape-Timeout-Seconds (default 500ms)
  --pipeline-size N          PIPELINE_SIZE          commands per pipeline (default 1000)
  --scan-count N             SCAN_COUNT             SCAN COUNT hint (default 1000)
  --no-type-cache            TYPE_CACHE=0           run TYPE on every key every scrape
  --max-targets N            MAX_TARGETS            turn on /scrape?target= for up to N Redis targets (default 0: off;
                                                    targets without their own password get the configured one)
  --log-level LEVEL          LOG_LEVEL              fatal, error, warn, info, debug (default info)
  --help                                            show this help
  --version                                         show the version

Endpoints: /metrics, /scrape?target=redis://host:port (multi-target), /health, / (landing page).
Exit codes: 0 clean shutdown, 2 bad flag or config.
`;

type Kind = 'string' | 'bool' | 'duration' | 'int';
const FLAGS: Record<string, { env: string; kind: Kind; key: keyof ExporterOptions }> = {
  listen: { env: 'LISTEN_ADDRESS', kind: 'string', key: 'listenHost' },
  'redis-url': { env: 'REDIS_URL', kind: 'string', key: 'redisUrl' },
  'redis-user': { env: 'REDIS_USER', kind: 'string', key: 'redisUser' },
  'redis-password-file': { env: 'REDIS_PASSWORD_FILE', kind: 'string', key: 'redisPasswordFile' },
  'tls-ca-file': { env: 'REDIS_TLS_CA_FILE', kind: 'string', key: 'tlsCaFile' },
  'tls-cert-file': { env: 'REDIS_TLS_CERT_FILE', kind: 'string', key: 'tlsCertFile' },
  'tls-key-file': { env: 'REDIS_TLS_KEY_FILE', kind: 'string', key: 'tlsKeyFile' },
  'tls-skip-verify': { env: 'REDIS_TLS_SKIP_VERIFY', kind: 'bool', key: 'tlsSkipVerify' },
  config: { env: 'MIXIN_CONFIG', kind: 'string', key: 'config' },
  'scrape-timeout': { env: 'SCRAPE_TIMEOUT', kind: 'duration', key: 'scrapeTimeoutMs' },
  'timeout-margin': { env: 'SCRAPE_TIMEOUT_MARGIN', kind: 'duration', key: 'timeoutMarginMs' },
  'pipeline-size': { env: 'PIPELINE_SIZE', kind: 'int', key: 'pipelineSize' },
  'scan-count': { env: 'SCAN_COUNT', kind: 'int', key: 'scanCount' },
  'type-cache': { env: 'TYPE_CACHE', kind: 'bool', key: 'typeCache' },
  'max-targets': { env: 'MAX_TARGETS', kind: 'int', key: 'maxTargets' },
  'log-level': { env: 'LOG_LEVEL', kind: 'string', key: 'logLevel' },
};

/** `250ms`, `10s`, `1m` or a bare number of seconds → milliseconds. */
export function parseDurationMs(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${what}: "${text}" is not a duration (use e.g. 500ms, 10s, 1m)`);
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

function parseBool(text: string, what: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  throw new UsageError(`${what}: "${text}" is not a boolean (use 1/0, true/false)`);
}

function parseInt10(text: string, what: string, min: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min)
    throw new UsageError(`${what}: "${text}" must be an integer >= ${min}`);
  return Number(text);
}

/** `:9121`, `9121`, `127.0.0.1:9121`, `[::1]:9121` → host (undefined = all interfaces) and port. */
export function parseListen(text: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*))?:?(\d+)$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) {
    throw new UsageError(`--listen: "${text}" is not host:port (e.g. :9121 or 127.0.0.1:9121)`);
  }
  return { host: m[1] ?? (m[2] || undefined), port };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** @throws UsageError naming the flag or variable at fault. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ExporterOptions {
  const raw = new Map<string, { value: string; source: string }>();
  for (const [flag, spec] of Object.entries(FLAGS)) {
    const v = env[spec.env];
    if (v !== undefined && v !== '') raw.set(flag, { value: v, source: spec.env });
  }
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--version') version = true;
    else if (arg.startsWith('--no-') && FLAGS[arg.slice(5)]?.kind === 'bool')
      raw.set(arg.slice(5), { value: 'false', source: arg });
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const spec = FLAGS[name];
      if (!spec) throw new UsageError(`unknown option ${arg.split('=')[0]}`);
      if (spec.kind === 'bool' && eq === -1) raw.set(name, { value: 'true', source: `--${name}` });
      else {
        const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        raw.set(name, { value, source: `--${name}` });
      }
    } else throw new UsageError(`unexpected argument "${arg}"`);
  }
  const get = (flag: string): { value: string; source: string } | undefined => raw.get(flag);
  const str = (flag: string): string | undefined => get(flag)?.value;
  const dur = (flag: string, dflt: number): number => {
    const v = get(flag);
    return v ? parseDurationMs(v.value, v.source) : dflt;
  };
  const int = (flag: string, dflt: number, min: number): number => {
    const v = get(flag);
    return v ? parseInt10(v.value, v.source, min) : dflt;
  };
  const bool = (flag: string, dflt: boolean): boolean => {
    const v = get(flag);
    return v ? parseBool(v.value, v.source) : dflt;
  };
  const listen = parseListen(str('listen') ?? ':9121');
  const logLevel = str('log-level') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel))
    throw new UsageError(`log level "${logLevel}" must be one of ${LOG_LEVELS.join(', ')}`);
  const opts: ExporterOptions = {
    listenHost: listen.host,
    listenPort: listen.port,
    redisUrl: str('redis-url') ?? 'redis://127.0.0.1:6379',
    redisUser: str('redis-user'),
    redisPasswordFile: str('redis-password-file'),
    redisPassword: env.REDIS_PASSWORD || undefined,
    tlsCaFile: str('tls-ca-file'),
    tlsCertFile: str('tls-cert-file'),
    tlsKeyFile: str('tls-key-file'),
    tlsSkipVerify: bool('tls-skip-verify', false),
    config: str('config'),
    scrapeTimeoutMs: dur('scrape-timeout', 10_000),
    timeoutMarginMs: dur('timeout-margin', 500),
    pipelineSize: int('pipeline-size', 1000, 1),
    scanCount: int('scan-count', 1000, 1),
    typeCache: bool('type-cache', true),
    maxTargets: int('max-targets', 0, 0),
    logLevel,
    help,
    version,
  };
  if (opts.scrapeTimeoutMs < 1) throw new UsageError('--scrape-timeout must be positive');
  if ((opts.tlsCertFile === undefined) !== (opts.tlsKeyFile === undefined)) {
    throw new UsageError('--tls-cert-file and --tls-key-file go together (mutual TLS needs both)');
  }
  return opts;
}
