/** The flags every reference-app service shares: where it listens, the Redis and queue it uses, fault injection. */
import { defaultConfig } from 'voting-mixin/config';
import { type FlagSpec, logLevelFlag } from 'voting-mixin/runtime';

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
