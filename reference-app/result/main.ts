#!/usr/bin/env node
/**
 * result service entry point: `node reference-app/build/result/main.js --port 8082 --database-url ... --options cats,dogs`.
 * It reads PostgreSQL only (what the worker stored), so it takes no Redis or queue flags. Flags win
 * over environment variables; --help lists both. A usage mistake is one line on stderr and exit 2.
 */
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
import { closeServer, listen, onShutdown } from '../shared/serve.js';
import { appVersion, boundPort, checkUrlFlag, portFlag, serviceFlags } from '../shared/service-flags.js';
import { createResultApp } from './app.js';

export const resultFlags = {
  port: portFlag(8082, 'HTTP port'),
  host: serviceFlags.host,
  databaseUrl: {
    kind: 'string',
    env: 'DATABASE_URL',
    arg: 'URL',
    help: 'PostgreSQL the worker stores the votes in (required)',
  },
  options: { kind: 'list', env: 'VOTE_OPTIONS', default: ['cats', 'dogs'], arg: 'A,B', help: 'the vote options' },
  pollInterval: {
    kind: 'duration',
    env: 'POLL_INTERVAL',
    default: 1_000,
    min: 100,
    max: 60_000,
    help: 'how often the live page re-reads the results (one query per interval for all open pages)',
  },
  poolSize: { kind: 'int', env: 'DB_POOL_SIZE', default: 4, min: 1, max: 100, help: 'PostgreSQL pool size' },
  logLevel: serviceFlags.logLevel,
} satisfies FlagSpecs;

export type ResultFlags = FlagValues<typeof resultFlags>;

// The vote service's rule for option names (reference-app/vote/main.ts): both must accept the same list.
const OPTION = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks beyond each flag's own. @throws UsageError naming the flag. */
function checkResultFlags(values: ResultFlags): void {
  if (values.databaseUrl === undefined || values.databaseUrl === '') {
    throw new UsageError('--database-url (or DATABASE_URL) is required: the PostgreSQL the worker writes to');
  }
  checkUrlFlag('database-url', values.databaseUrl, ['postgres', 'postgresql']);
  const bad = values.options.find((o) => !OPTION.test(o));
  if (bad !== undefined) throw new UsageError(`--options: "${bad}" must be 1-64 characters of A-Z a-z 0-9 _ -`);
  if (new Set(values.options).size < 2) {
    throw new UsageError(`--options needs at least two distinct options, got "${values.options.join(',')}"`);
  }
}

export const resultProgram: Program<typeof resultFlags> = {
  name: 'result',
  summary:
    'The result service: the stored votes from PostgreSQL. GET / (live page), GET /results (JSON), ' +
    'GET /results/stream (Server-Sent Events), /health, /ready, /metrics.',
  flags: resultFlags,
  check: checkResultFlags,
  version: appVersion,
  run: serve,
  redact: maskUrls,
};

/** The flags and environment, checked as at start-up. @throws UsageError naming the flag or variable. */
export const parseResultFlags = (argv: readonly string[], env: Readonly<Record<string, string | undefined>>) =>
  parseProgramFlags(resultProgram, argv, env);

async function serve(flags: ResultFlags): Promise<number> {
  const logger = createLogger('result', flags.logLevel);
  // checkResultFlags made sure it is there.
  const databaseUrl = flags.databaseUrl ?? '';
  const pool = createPool(databaseUrl, flags.poolSize);
  const result = createResultApp({
    pool,
    registry: serviceRegistry(),
    logger,
    options: flags.options,
    pollIntervalMs: flags.pollInterval,
  });
  const server = await listen(result.app, flags.port, flags.host);
  logger.info(
    {
      port: boundPort(server, flags.port),
      database: redactUrl(databaseUrl),
      options: flags.options,
      pollIntervalMs: flags.pollInterval,
    },
    'result service listening',
  );
  return new Promise<number>((resolve) => {
    onShutdown(async (signal) => {
      logger.info({ signal }, 'shutting down');
      // Open streams would hold server.close for its whole grace period.
      result.close();
      await closeServer(server);
      await pool.end().catch(() => {});
      resolve(0);
      return 0;
    });
  });
}

if (isEntryPoint(import.meta.url)) runMain('result', () => runProgram(resultProgram), { exit: true, redact: maskUrls });
