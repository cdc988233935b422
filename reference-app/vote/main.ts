#!/usr/bin/env node
/**
 * vote service entry point: `node reference-app/build/vote/main.js --port 8080 --redis-url ... --options cats,dogs`.
 * Flags win over environment variables; --help lists both. A usage mistake is one line on stderr
 * (`vote: --port: "x" is not a whole number from 0 to 65535`) and exit code 2.
 */
import { serviceRegistry } from 'voting-mixin/instrument';
import {
  type FlagSpecs,
  type FlagValues,
  isEntryPoint,
  maskUrls,
  type Program,
  parseProgramFlags,
  readSecretFile,
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
import { createVoteApp } from './app.js';
import { parseSecrets, randomSecret, voterSigner } from './voter-cookie.js';

export const voteFlags = {
  port: portFlag(8080, 'HTTP port'),
  ...serviceFlags,
  databaseUrl: { kind: 'string', env: 'DATABASE_URL', arg: 'URL', help: 'PostgreSQL for GET /results (optional)' },
  options: { kind: 'list', env: 'VOTE_OPTIONS', default: ['cats', 'dogs'], arg: 'A,B', help: 'the vote options' },
  metrics: {
    kind: 'bool',
    env: 'METRICS',
    default: true,
    help: 'serve /metrics; --no-metrics turns instrumentation off (overhead benchmark)',
  },
  cookieSecretFile: {
    kind: 'string',
    env: 'COOKIE_SECRET_FILE',
    arg: 'PATH',
    help:
      'file with the secret(s) signing the voter cookie, one per line, the first signs, the others are still ' +
      'accepted (rotation); every vote instance behind one address needs the same file. Without it (and without ' +
      'COOKIE_SECRET) a random secret per process: voter ids do not survive a restart nor work across instances',
  },
  cookieSecret: {
    kind: 'string',
    env: 'COOKIE_SECRET',
    envOnly: true,
    help: 'the voter cookie secret(s), comma-separated, first signs (instead of --cookie-secret-file)',
  },
  voteRateLimit: {
    kind: 'number',
    env: 'VOTE_RATE_LIMIT',
    default: 10,
    min: 0,
    arg: 'PER_SECOND',
    help:
      'votes per second per voter (signed cookie), bursts of twice that, per instance; over it a 429 with ' +
      'Retry-After; 0 = no limit. A person never gets near 10/s; a script reusing one cookie does',
  },
  newVoterRateLimit: {
    kind: 'number',
    env: 'NEW_VOTER_RATE_LIMIT',
    default: 0,
    min: 0,
    arg: 'PER_SECOND',
    help:
      'cookieless votes (each a new voter) per second per client address, bursts of twice that, per instance; ' +
      '0 = no limit (the default: load tools and users behind one NAT or proxy share an address; set it when ' +
      'clients have their own, with --behind-proxy when a proxy is in front)',
  },
  behindProxy: {
    kind: 'bool',
    env: 'BEHIND_PROXY',
    default: false,
    help:
      'one reverse proxy in front: trust its X-Forwarded-Proto (Secure cookie), X-Forwarded-Host (same-origin ' +
      'check) and X-Forwarded-For (client address); off, those headers are ignored',
  },
} satisfies FlagSpecs;

export type VoteFlags = FlagValues<typeof voteFlags>;

const OPTION = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks beyond each flag's own. @throws UsageError naming the flag. */
function checkVoteFlags(values: VoteFlags): void {
  checkConnectionFlags(values);
  const bad = values.options.find((o) => !OPTION.test(o));
  if (bad !== undefined) throw new UsageError(`--options: "${bad}" must be 1-64 characters of A-Z a-z 0-9 _ -`);
  if (new Set(values.options).size < 2) {
    throw new UsageError(`--options needs at least two distinct options, got "${values.options.join(',')}"`);
  }
  if (values.cookieSecretFile !== undefined && values.cookieSecret !== undefined) {
    throw new UsageError('--cookie-secret-file and COOKIE_SECRET are both set: give the secret one way');
  }
  cookieSecrets(values);
}

/**
 * The voter cookie's secrets, first = current; undefined when none is configured.
 * @throws UsageError naming the flag or variable, never the secret.
 */
export function cookieSecrets(values: Pick<VoteFlags, 'cookieSecretFile' | 'cookieSecret'>): string[] | undefined {
  if (values.cookieSecretFile !== undefined) {
    const flag = '--cookie-secret-file';
    return parseSecrets(readSecretFile(values.cookieSecretFile, flag), `${flag} "${values.cookieSecretFile}"`);
  }
  if (values.cookieSecret !== undefined) return parseSecrets(values.cookieSecret, 'COOKIE_SECRET');
  return undefined;
}

export const voteProgram: Program<typeof voteFlags> = {
  name: 'vote',
  summary: 'The vote service: GET / , POST /vote, GET /results, /health, /ready, /metrics.',
  flags: voteFlags,
  check: checkVoteFlags,
  version: appVersion,
  run: serve,
  redact: maskUrls,
};

/** The flags and environment, checked as at start-up. @throws UsageError naming the flag or variable. */
export const parseVoteFlags = (argv: readonly string[], env: Readonly<Record<string, string | undefined>>) =>
  parseProgramFlags(voteProgram, argv, env);

async function serve(flags: VoteFlags): Promise<number> {
  const logger = createLogger('vote', flags.logLevel);
  const redis = createRedis(flags.redisUrl, { name: 'vote', commandTimeoutMs: 1_000, autoPipelining: true, logger });
  const pool = flags.databaseUrl ? createPool(flags.databaseUrl, 4) : undefined;
  const registry = flags.metrics ? serviceRegistry() : undefined;
  const secrets = cookieSecrets(flags);
  if (!secrets) {
    logger.warn(
      'no --cookie-secret-file or COOKIE_SECRET: voter cookies are signed with a random secret of this process, ' +
        'so voter ids are lost on restart and refused by other vote instances; give every instance the same secret',
    );
  }
  const { app } = createVoteApp({
    signer: voterSigner(secrets ?? [randomSecret()]),
    behindProxy: flags.behindProxy,
    rateLimits: { perVoter: flags.voteRateLimit, perAddress: flags.newVoterRateLimit },
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
      port: boundPort(server, flags.port),
      redis: redactUrl(flags.redisUrl),
      database: flags.databaseUrl && redactUrl(flags.databaseUrl),
      queue: flags.queue,
      options: flags.options,
      admin: flags.enableAdmin,
      metrics: flags.metrics,
      // How many secrets, never what they are.
      cookieSecrets: secrets ? secrets.length : 'random',
      behindProxy: flags.behindProxy,
      voteRateLimit: flags.voteRateLimit,
      newVoterRateLimit: flags.newVoterRateLimit,
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

if (isEntryPoint(import.meta.url)) runMain('vote', () => runProgram(voteProgram), { exit: true, redact: maskUrls });
