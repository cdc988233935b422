#!/usr/bin/env node
/**
 * vote service entry point: `node build/reference-app/vote/main.js --port 8080 --redis-url ... --options cats,dogs`.
 * Flags win over environment variables; --help lists both.
 */
import { defaultConfig } from '../../config/mixin-config.js';
import { createPool } from '../shared/db.js';
import { FlagError, type FlagSpec, parseFlags } from '../shared/flags.js';
import { createLogger, redactUrl } from '../shared/logger.js';
import { serviceRegistry } from '../shared/metrics.js';
import { createRedis } from '../shared/redis.js';
import { closeServer, listen, onShutdown } from '../shared/serve.js';
import { createVoteApp } from './app.js';

const spec = {
  port: { kind: 'int', env: 'PORT', default: 8080, help: 'HTTP port' },
  host: { kind: 'string', env: 'HOST', default: '0.0.0.0', help: 'address to listen on' },
  redisUrl: { kind: 'string', env: 'REDIS_URL', default: 'redis://127.0.0.1:6379', help: 'Redis holding the queue' },
  databaseUrl: { kind: 'string', env: 'DATABASE_URL', help: 'PostgreSQL for GET /results (optional)' },
  queue: {
    kind: 'string',
    env: 'QUEUE_KEY',
    default: defaultConfig.queues[0]?.key ?? 'votes',
    help: 'Redis list key of the queue',
  },
  options: { kind: 'list', env: 'VOTE_OPTIONS', default: ['cats', 'dogs'], help: 'the vote options' },
  enableAdmin: {
    kind: 'bool',
    env: 'ENABLE_ADMIN',
    default: false,
    help: 'serve POST/GET/DELETE /admin/faults (fault injection)',
  },
  metrics: {
    kind: 'bool',
    env: 'METRICS',
    default: true,
    help: 'serve /metrics; --no-metrics turns instrumentation off (overhead benchmark)',
  },
  logLevel: { kind: 'string', env: 'LOG_LEVEL', default: 'info', help: 'fatal|error|warn|info|debug|trace|silent' },
} satisfies Record<string, FlagSpec>;

const OPTION = /^[A-Za-z0-9_-]{1,64}$/;

async function main(): Promise<number> {
  let flags;
  try {
    const parsed = parseFlags(
      'usage: vote [options]\n\nThe vote service: GET / , POST /vote, GET /results, /health, /ready, /metrics.',
      spec,
      process.argv.slice(2),
      process.env,
    );
    if (parsed.kind === 'help') {
      process.stdout.write(parsed.help);
      return 0;
    }
    flags = parsed.values;
    const bad = flags.options.find((o) => !OPTION.test(o));
    if (bad !== undefined) throw new FlagError(`--options: "${bad}" must be 1-64 characters of A-Z a-z 0-9 _ -`);
    if (new Set(flags.options).size < 2)
      throw new FlagError(`--options needs at least two distinct options, got "${flags.options.join(',')}"`);
    if (flags.port > 65535) throw new FlagError(`--port must be at most 65535, got ${flags.port}`);
    createLogger('vote', flags.logLevel);
  } catch (err) {
    process.stderr.write(`vote: ${(err as Error).message}\n`);
    return 2;
  }
  const logger = createLogger('vote', flags.logLevel);
  const redis = createRedis(flags.redisUrl, { name: 'vote', commandTimeoutMs: 1_000, autoPipelining: true, logger });
  const pool = flags.databaseUrl ? createPool(flags.databaseUrl, 4) : undefined;
  const registry = flags.metrics ? serviceRegistry() : undefined;
  const { app } = createVoteApp({
    redis,
    pool,
    registry,
    logger,
    options: flags.options,
    queueKey: flags.queue,
    enableAdmin: flags.enableAdmin,
  });
  const server = await listen(app, flags.port, flags.host);
  logger.info(
    {
      port: flags.port,
      redis: redactUrl(flags.redisUrl),
      database: flags.databaseUrl && redactUrl(flags.databaseUrl),
      queue: flags.queue,
      options: flags.options,
      admin: flags.enableAdmin,
      metrics: flags.metrics,
    },
    'vote service listening',
  );
  return new Promise<number>((resolve) => {
    onShutdown(async (signal) => {
      logger.info({ signal }, 'shutting down');
      await closeServer(server);
      redis.disconnect();
      await pool?.end();
      resolve(0);
      return 0;
    });
  });
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`vote: ${err.message}\n`);
    process.exit(1);
  },
);
