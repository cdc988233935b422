/** The flags every reference-app service shares: where it listens, the Redis and queue it uses, fault injection. */
import { defaultConfig } from 'voting-mixin/config';
import { type FlagSpec, logLevelFlag, maskUrls, packageVersion, UsageError } from 'voting-mixin/runtime';

/** `--port` with this service's default and what it serves. */
export const portFlag = (dflt: number, help: string) =>
  ({ kind: 'int', env: 'PORT', default: dflt, min: 0, max: 65535, help }) as const satisfies FlagSpec;

export const serviceFlags = {
  host: { kind: 'string', env: 'HOST', default: '0.0.0.0', help: 'address to listen on' },
  redisUrl: {
    kind: 'string',
    env: 'REDIS_URL',
    default: 'redis://127.0.0.1:6379',
    arg: 'URL',
    help: 'Redis holding the queue',
  },
  queue: {
    kind: 'string',
    env: 'QUEUE_KEY',
    default: defaultConfig.queues[0]?.key ?? 'votes',
    arg: 'KEY',
    help: 'Redis list key of the queue',
  },
  enableAdmin: {
    kind: 'bool',
    env: 'ENABLE_ADMIN',
    default: false,
    help: 'serve POST/GET/DELETE /admin/faults (fault injection)',
  },
  logLevel: logLevelFlag,
} as const satisfies Record<string, FlagSpec>;

/** The reference app's version, from its workspace package.json, for `--version`. */
export const appVersion = (): string => packageVersion('@voting-mixin/reference-app', import.meta.dirname);

/**
 * A connection URL flag must be a URL of one of `schemes`: a typo otherwise retries forever at run
 * time (`connect ENOENT //x`). @throws UsageError naming the flag, the URL's password masked.
 */
export function checkUrlFlag(flag: string, value: string | undefined, schemes: readonly string[]): void {
  if (value === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || !schemes.includes(url.protocol.replace(/:$/, '')) || !url.hostname) {
    throw new UsageError(
      `--${flag}: "${maskUrls(value)}" is not a ${schemes.map((s) => `${s}://`).join(' or ')} URL with a host`,
    );
  }
}

/** Where a server really listens (the port the kernel chose for --port 0). */
export function boundPort(server: { address(): unknown }, fallback: number): number {
  const a = server.address() as { port?: number } | null;
  return typeof a === 'object' && a?.port !== undefined ? a.port : fallback;
}

/** The connection URLs every service takes: Redis always, PostgreSQL when given. @throws UsageError. */
export function checkConnectionFlags(values: { redisUrl: string; databaseUrl?: string | undefined }): void {
  checkUrlFlag('redis-url', values.redisUrl, ['redis', 'rediss']);
  checkUrlFlag('database-url', values.databaseUrl, ['postgres', 'postgresql']);
}
