/**
 * ioredis clients that fail fast: no offline queue, short timeouts, so a request fails with a 503
 * in milliseconds when Redis is gone instead of hanging, and reconnects without a restart.
 */
import { Redis } from 'ioredis';
import { redactUrl } from 'voting-mixin/runtime';
import type { Logger } from './logger.js';

export interface RedisClientOptions {
  /** Per-command deadline; leave undefined for a connection that runs blocking commands. */
  commandTimeoutMs?: number;
  /** Batch commands issued in the same tick into one write (the vote hot path under load). */
  autoPipelining?: boolean;
  name: string;
  logger: Logger;
}

export function createRedis(url: string, opts: RedisClientOptions): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 1_000,
    commandTimeout: opts.commandTimeoutMs,
    connectionName: opts.name,
    enableAutoPipelining: opts.autoPipelining ?? false,
    // Reconnect quickly and forever: the service must come back on its own once Redis does.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), 1_000),
  });
  let down = false;
  client.on('ready', () => {
    if (down) opts.logger.info({ redis: redactUrl(url), conn: opts.name }, 'redis connection restored');
    down = false;
  });
  client.on('error', (err: Error) => {
    if (!down) opts.logger.warn({ redis: redactUrl(url), conn: opts.name, err: err.message }, 'redis connection error');
    down = true;
  });
  return client;
}

/** Resolves when the client is ready or after `ms`; used only for tidy start-up ordering. */
export function whenReady(client: Redis, ms: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, ms);
    const onReady = (): void => {
      clearTimeout(t);
      resolve(true);
    };
    client.once('ready', onReady);
  });
}
