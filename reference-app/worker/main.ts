#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
/**
 * worker entry point: `node build/reference-app/worker/main.js --port 9102 --redis-url ... --database-url ... --worker-id w1`.
 * SIGTERM/SIGINT: finish the batch in hand, hand back anything unfinished, exit 0.
 */
import { hostname } from 'node:os';
import { defaultConfig } from '../../config/mixin-config.js';
import { createPool } from '../shared/db.js';
import { FlagError, type FlagSpec, parseFlags } from '../shared/flags.js';
import { createLogger, redactUrl } from '../shared/logger.js';
import { serviceRegistry } from '../shared/metrics.js';
import { createRedis } from '../shared/redis.js';
import { closeServer, listen, onShutdown } from '../shared/serve.js';
import { workerServer } from './server.js';
import { VoteWorker } from './worker.js';
import { workerMetrics } from './worker-metrics.js';

const spec = {
  port: { kind: 'int', env: 'PORT', default: 9102, help: 'HTTP port for /metrics, /health, /ready' },
  host: { kind: 'string', env: 'HOST', default: '0.0.0.0', help: 'address to listen on' },
  redisUrl: { kind: 'string', env: 'REDIS_URL', default: 'redis://127.0.0.1:6379', help: 'Redis holding the queue' },
  databaseUrl: {
    kind: 'string',
    env: 'DATABASE_URL',
    default: 'postgres://postgres@127.0.0.1:5432/voting',
    help: 'PostgreSQL the votes go to',
  },
  queue: {
    kind: 'string',
    env: 'QUEUE_KEY',
    default: defaultConfig.queues[0]?.key ?? 'votes',
    help: 'Redis list key of the queue',
  },
  workerId: {
    kind: 'string',
    env: 'WORKER_ID',
    help: 'unique among live workers; names the processing list (default host-pid-random)',
  },
  batchSize: { kind: 'int', env: 'BATCH_SIZE', default: 200, help: 'most items written per PostgreSQL statement' },
  poolSize: { kind: 'int', env: 'DB_POOL_SIZE', default: 4, help: 'PostgreSQL pool size' },
  enableAdmin: {
    kind: 'bool',
    env: 'ENABLE_ADMIN',
    default: false,
    help: 'serve POST/GET/DELETE /admin/faults {"paused","slowMs"}',
  },
  logLevel: { kind: 'string', env: 'LOG_LEVEL', default: 'info', help: 'fatal|error|warn|info|debug|trace|silent' },
} satisfies Record<string, FlagSpec>;

async function main(): Promise<number> {
  let flags;
  try {
    const parsed = parseFlags(
      'usage: worker [options]\n\nDrains the vote queue into PostgreSQL (reliable queue, batches, recovery).',
      spec,
      process.argv.slice(2),
      process.env,
    );
    if (parsed.kind === 'help') {
      process.stdout.write(parsed.help);
      return 0;
    }
    flags = parsed.values;
    if (flags.batchSize < 1 || flags.batchSize > 10_000)
      throw new FlagError(`--batch-size must be 1..10000, got ${flags.batchSize}`);
    if (flags.poolSize < 1) throw new FlagError('--pool-size must be at least 1');
    if (flags.workerId !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(flags.workerId)) {
      throw new FlagError(`--worker-id "${flags.workerId}" must be 1-64 characters of A-Z a-z 0-9 _ . -`);
    }
    createLogger('worker', flags.logLevel);
  } catch (err) {
    process.stderr.write(`worker: ${(err as Error).message}\n`);
    return 2;
  }
  const workerId = flags.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const logger = createLogger('worker', flags.logLevel).child({ workerId });
  const redis = createRedis(flags.redisUrl, { name: `worker-${workerId}`, logger });
  const control = createRedis(flags.redisUrl, { name: `worker-${workerId}-control`, commandTimeoutMs: 1_000, logger });
  const pool = createPool(flags.databaseUrl, flags.poolSize);
  const registry = serviceRegistry();
  const metrics = workerMetrics(registry, pool, flags.poolSize, flags.queue);
  const worker = new VoteWorker({
    redis,
    control,
    pool,
    logger,
    metrics,
    queue: flags.queue,
    workerId,
    batchSize: flags.batchSize,
  });
  const server = await listen(
    workerServer({ worker, registry, control, pool, logger, enableAdmin: flags.enableAdmin }),
    flags.port,
    flags.host,
  );
  logger.info(
    {
      port: flags.port,
      redis: redactUrl(flags.redisUrl),
      database: redactUrl(flags.databaseUrl),
      queue: flags.queue,
      batchSize: flags.batchSize,
      admin: flags.enableAdmin,
    },
    'worker listening',
  );
  return new Promise<number>((resolve) => {
    onShutdown(async (signal) => {
      logger.info({ signal }, 'shutting down: finishing the batch in hand');
      await worker.stop();
      await closeServer(server, 1_000);
      redis.disconnect();
      control.disconnect();
      await pool.end().catch(() => {});
      logger.info('worker stopped');
      resolve(0);
      return 0;
    });
    // Start after the signal handlers are in place; a crash of the loop is fatal (exit 1, restart).
    worker.start().catch(() => resolve(1));
  });
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`worker: ${err.message}\n`);
    process.exit(1);
  },
);
