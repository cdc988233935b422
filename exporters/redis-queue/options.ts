/**
 * Command-line flags and environment variables of the exporter (flags win over env), checked
 * up front by the runtime's flag parser so a bad value stops the start with a message naming the
 * flag or variable, never mid-scrape.
 */
import {
  type FlagSpecs,
  type FlagValues,
  logLevelFlag,
  parseFlags,
  programHelp,
  UsageError,
} from 'voting-mixin/runtime';
import { exporterVersion } from './version.js';

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
}

/** Every flag, its environment variable and default (durations in ms); also the help's options table. */
export const FLAGS = {
  listen: { kind: 'string', env: 'LISTEN_ADDRESS', default: ':9121', arg: 'ADDR', help: 'host:port to serve on' },
  redisUrl: {
    kind: 'string',
    env: 'REDIS_URL',
    default: 'redis://127.0.0.1:6379',
    arg: 'URL',
    help: 'the Redis to watch',
  },
  redisUser: { kind: 'string', env: 'REDIS_USER', arg: 'USER', help: 'ACL user name (Redis 6+)' },
  redisPasswordFile: {
    kind: 'string',
    env: 'REDIS_PASSWORD_FILE',
    arg: 'FILE',
    help: 'read the password from FILE (trailing newline dropped)',
  },
  redisPassword: {
    kind: 'string',
    env: 'REDIS_PASSWORD',
    envOnly: true,
    help: 'the password itself (environment only: a flag would show it in ps)',
  },
  tlsCaFile: {
    kind: 'string',
    env: 'REDIS_TLS_CA_FILE',
    arg: 'FILE',
    help: 'CA bundle to verify the Redis server (enables TLS)',
  },
  tlsCertFile: { kind: 'string', env: 'REDIS_TLS_CERT_FILE', arg: 'FILE', help: 'client certificate for mutual TLS' },
  tlsKeyFile: { kind: 'string', env: 'REDIS_TLS_KEY_FILE', arg: 'FILE', help: 'client key for mutual TLS' },
  tlsSkipVerify: { kind: 'bool', env: 'REDIS_TLS_SKIP_VERIFY', help: 'do not verify the server certificate' },
  config: {
    kind: 'string',
    env: 'MIXIN_CONFIG',
    arg: 'FILE',
    help: 'mixin config, YAML/JSON/JS (default: see Queues below)',
  },
  scrapeTimeout: {
    kind: 'duration',
    env: 'SCRAPE_TIMEOUT',
    default: 10_000,
    min: 1,
    arg: 'DUR',
    help: 'collection deadline without a Prometheus header',
  },
  timeoutMargin: {
    kind: 'duration',
    env: 'SCRAPE_TIMEOUT_MARGIN',
    default: 500,
    arg: 'DUR',
    help: 'kept free of X-Prometheus-Scrape-Timeout-Seconds',
  },
  pipelineSize: { kind: 'int', env: 'PIPELINE_SIZE', default: 1000, min: 1, arg: 'N', help: 'commands per pipeline' },
  scanCount: { kind: 'int', env: 'SCAN_COUNT', default: 1000, min: 1, arg: 'N', help: 'SCAN COUNT hint' },
  typeCache: {
    kind: 'bool',
    env: 'TYPE_CACHE',
    default: true,
    help: 'cache TYPE results between scrapes; off: --no-type-cache',
  },
  maxTargets: {
    kind: 'int',
    env: 'MAX_TARGETS',
    default: 0,
    min: 0,
    arg: 'N',
    help: 'serve /scrape?target= for up to N Redis targets (0: off)',
  },
  logLevel: logLevelFlag,
} satisfies FlagSpecs;

/** The exporter as a runtime program, without its `run` (main.ts adds it): help, version, checks. */
export const exporterCli = {
  name: 'redis-queue-exporter',
  summary: `Prometheus exporter for Redis queues: length, oldest-item age, processing lists, stream groups,
plus Redis health from INFO. Queues come from the mixin config's \`queues\`.`,
  details: `Redis address: redis://[user[:password]@]host[:port][/db], rediss:// for TLS, or host:port.
Queues: from --config, else voting-mixin.config.{yaml,yml,json,js,mjs,cjs,ts,mts,cts} in the working directory,
else the built-in queues (votes).
Durations: 250ms, 10s, 1m, 1h30m, 1.5s or a bare number of seconds (1.5).
Multi-target: off unless asked for, since targets without their own password get the configured one.

Endpoints: /metrics, /scrape?target=redis://host:port (multi-target), /health, / (landing page).`,
  flags: FLAGS,
  version: exporterVersion,
  check: (v: FlagValues<typeof FLAGS>): void => void toOptions(v),
};

export const HELP = programHelp(exporterCli);

/** `:9121`, `9121`, `127.0.0.1:9121`, `[::1]:9121` → host (undefined = all interfaces) and port. */
export function parseListen(text: string): { host: string | undefined; port: number } {
  const m = /^(?:(?:\[([^\]]+)\]|([^:]*)):)?(\d+)$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) {
    throw new UsageError(`--listen: "${text}" is not host:port (e.g. :9121 or 127.0.0.1:9121)`);
  }
  return { host: m[1] ?? (m[2] || undefined), port };
}

/** The checked flag values as the exporter uses them. @throws UsageError naming the flag at fault. */
export function toOptions(v: FlagValues<typeof FLAGS>): ExporterOptions {
  const listen = parseListen(v.listen);
  if ((v.tlsCertFile === undefined) !== (v.tlsKeyFile === undefined)) {
    throw new UsageError('--tls-cert-file and --tls-key-file go together (mutual TLS needs both)');
  }
  return {
    listenHost: listen.host,
    listenPort: listen.port,
    redisUrl: v.redisUrl,
    redisUser: v.redisUser,
    redisPasswordFile: v.redisPasswordFile,
    redisPassword: v.redisPassword,
    tlsCaFile: v.tlsCaFile,
    tlsCertFile: v.tlsCertFile,
    tlsKeyFile: v.tlsKeyFile,
    tlsSkipVerify: v.tlsSkipVerify,
    config: v.config,
    scrapeTimeoutMs: v.scrapeTimeout,
    timeoutMarginMs: v.timeoutMargin,
    pipelineSize: v.pipelineSize,
    scanCount: v.scanCount,
    typeCache: v.typeCache,
    maxTargets: v.maxTargets,
    logLevel: v.logLevel,
  };
}

/** Flags and environment → options, as the program parses them (for tests). @throws UsageError. */
export function parseOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ExporterOptions & { help: boolean; version: boolean } {
  const { values, help, version } = parseFlags(FLAGS, argv, { env, version: true });
  return { ...toOptions(values), help, version };
}
