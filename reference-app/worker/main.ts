#!/usr/bin/env node
/**
 * worker entry point: `node reference-app/build/worker/main.js --port 9102 --redis-url ... --database-url ... --worker-id w1`.
 * SIGTERM/SIGINT: finish the batch in hand, hand back anything unfinished, exit 0. A usage mistake
 * is one line on stderr (`worker: --batch-size: "0" is not a whole number from 1 to 10000`) and exit 2.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { serviceRegistry } from 'voting-mixin/instrument';
import {
  type FlagSpecs,
  type FlagValues,
  isEntryPoint,
  maskUrls,
  type Program,
  parseProgramFlags,
  redactUrl,
  runMain,
  runProgram,
  UsageError,
} from 'voting-mixin/runtime';
import { createPool } from '../shared/db.js';
import { createLogger } from '../shared/logger.js';
import { createRedis } from '../shared/redis.js';
import { closeServer, listen, onShutdown } from '../shared/serve.js';
import { appVersion, boundPort, checkConnectionFlags, portFlag, serviceFlags } from '../shared/service-flags.js';
import { workerServer } from './server.js';
import { VoteWorker } from './worker.js';
import { workerMetrics } from './worker-metrics.js';

export const workerFlags = {
  port: portFlag(9102, 'HTTP port for /metrics, /health, /ready'),
  ...serviceFlags,
  databaseUrl: {
    kind: 'string',
    env: 'DATABASE_URL',
    default: 'postgres://postgres@127.0.0.1:5432/voting',
    arg: 'URL',
    help: 'PostgreSQL the votes go to',
  },
  workerId: {
    kind: 'string',
    env: 'WORKER_ID',
    arg: 'ID',
    help: 'unique among live workers; names the processing list (default host-pid-random)',
  },
  batchSize: {
    kind: 'int',
    env: 'BATCH_SIZE',
    default: 200,
    min: 1,
    max: 10_000,
    help: 'most items written per PostgreSQL statement',
  },
  poolSize: { kind: 'int', env: 'DB_POOL_SIZE', default: 4, min: 1, help: 'PostgreSQL pool size' },
} satisfies FlagSpecs;

export type WorkerFlags = FlagValues<typeof workerFlags>;

const WORKER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks beyond each flag's own. @throws UsageError naming the flag. */
function checkWorkerFlags(values: WorkerFlags): void {
  checkConnectionFlags(values);
  if (values.workerId !== undefined && !WORKER_ID.test(values.workerId)) {
    throw new UsageError(`--worker-id "${values.workerId}" must be 1-64 characters of A-Z a-z 0-9 _ . -`);
  }
}

export const workerProgram: Program<typeof workerFlags> = {
  name: 'worker',
  summary: 'Drains the vote queue into PostgreSQL (reliable queue, batches, recovery).',
  flags: workerFlags,
  check: checkWorkerFlags,
  version: appVersion,
  run: serve,
  redact: maskUrls,
};

/** The flags and environment, checked as at start-up. @throws UsageError naming the flag or variable. */
export const parseWorkerFlags = (argv: readonly string[], env: Readonly<Record<string, string | undefined>>) =>
  parseProgramFlags(workerProgram, argv, env);

async function serve(flags: WorkerFlags): Promise<number> {
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
      port: boundPort(server, flags.port),
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

if (isEntryPoint(import.meta.url)) runMain('worker', () => runProgram(workerProgram), { exit: true, redact: maskUrls });
