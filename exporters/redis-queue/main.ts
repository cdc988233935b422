#!/usr/bin/env -S node --optimize-for-size
/**
 * `redis-queue-exporter --listen :9121 --redis-url redis://127.0.0.1:6379` (the package's bin,
 * exporters/redis-queue/build/redis-queue-exporter.js: this module bundled by scripts/dev/bundle.mjs)
 * Reads flags and env (flags win) and the mixin config's queues, checks everything before listening
 * (a mistake exits 2 with a message naming the flag, file or config path), then serves until
 * SIGTERM/SIGINT.
 *
 * The shebang's --optimize-for-size keeps V8's young generation small and the old one growing slowly: at
 * 10,000 keys RSS stays under 80 MiB (118–164 MiB without) for about twice the CPU per scrape, still a
 * fraction of redis_exporter's (npm run bench:exporter). Every launcher passes it too (launch.test.ts).
 */
import type { ConnectionOptions } from 'node:tls';
import { pino } from 'pino';
import { serviceRegistry } from 'voting-mixin/instrument';
import {
  isEntryPoint,
  loadConfig,
  type Program,
  readSecretFile,
  redactSecrets,
  replaceSecrets,
  runMain,
  runProgram,
} from 'voting-mixin/runtime';
import { type ExporterOptions, exporterCli, type FLAGS, toOptions } from './options.js';
import { redisTarget } from './redis-url.js';
import { createExporterServer } from './server.js';
import { openTarget, TargetPool, type TargetSettings } from './target.js';
import { exporterVersion } from './version.js';

/** The V8 flag of the shebang that keeps the heap small (launch.test.ts holds launchers to it). */
const MEMORY_FLAG = '--optimize-for-size';

/** Passwords main() has learned (environment, file), masked in the last-resort error message too. */
const knownSecrets: string[] = [];

function tlsOptions(o: ExporterOptions): ConnectionOptions | undefined {
  if (!o.tlsCaFile && !o.tlsCertFile && !o.tlsSkipVerify) return undefined;
  return {
    ...(o.tlsCaFile ? { ca: readSecretFile(o.tlsCaFile, '--tls-ca-file') } : {}),
    ...(o.tlsCertFile ? { cert: readSecretFile(o.tlsCertFile, '--tls-cert-file') } : {}),
    ...(o.tlsKeyFile ? { key: readSecretFile(o.tlsKeyFile, '--tls-key-file') } : {}),
    ...(o.tlsSkipVerify ? { rejectUnauthorized: false } : {}),
  };
}

/** Starts serving with checked options; resolves with the exit code at SIGTERM/SIGINT. */
async function serve(opts: ExporterOptions, cwd: string): Promise<number> {
  const password = opts.redisPasswordFile
    ? readSecretFile(opts.redisPasswordFile, '--redis-password-file')
    : opts.redisPassword;
  if (password) knownSecrets.push(password);
  const tls = tlsOptions(opts);
  const credentials = { username: opts.redisUser, password };
  const mainUrl = redisTarget(opts.redisUrl, credentials, tls);
  knownSecrets.push(...mainUrl.secrets);
  const { config, source } = await loadConfig(opts.config, cwd);
  // As the reference app logs: numeric level (the overview's error-log panel queries level >= 50), ISO time.
  const logger = pino({
    level: opts.logLevel,
    base: { service: 'redis-queue-exporter', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  const settings: TargetSettings = {
    collector: {
      queues: config.queues,
      pipelineSize: opts.pipelineSize,
      scanCount: opts.scanCount,
      timeoutMs: opts.scrapeTimeoutMs,
      typeCache: opts.typeCache,
    },
    credentials,
    tls,
    logger,
  };
  logger.info(
    { config: source ?? '(defaults)', queues: config.queues.map((q) => `${q.name}=${q.key}`) },
    'queues loaded',
  );
  // The memory budget (≤ 80 MiB at 10,000 keys) holds only with the shebang's V8 flags; `node
  // build/redis-queue-exporter.js` without them uses about twice the memory. Say so once.
  if (!process.execArgv.includes(MEMORY_FLAG))
    logger.warn(
      { missing: MEMORY_FLAG },
      'node started without --optimize-for-size: expect about twice the memory; run the bin itself or `node --optimize-for-size`',
    );

  // The main target's registry also carries the process metrics (/metrics); multi-target ones do not.
  const target = openTarget(mainUrl, settings, serviceRegistry());
  const pool = opts.maxTargets > 0 ? new TargetPool(settings, opts.maxTargets) : undefined;
  const server = createExporterServer({
    main: target,
    pool,
    scrapeTimeoutMs: opts.scrapeTimeoutMs,
    timeoutMarginMs: opts.timeoutMarginMs,
    logger,
    version: exporterVersion(),
  });

  const listening = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    server.once('error', resolve);
    server.listen(opts.listenPort, opts.listenHost, () => resolve(undefined));
  });
  if (listening) {
    target.close();
    throw new Error(
      `cannot listen on ${opts.listenHost ?? ''}:${opts.listenPort}: ${listening.code ?? listening.message}`,
    );
  }
  const addr = server.address();
  logger.info(
    {
      listen: typeof addr === 'object' && addr ? `${addr.address}:${addr.port}` : String(addr),
      redis: mainUrl.display,
      multiTarget: !!pool,
    },
    'redis-queue-exporter listening',
  );

  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      server.close(() => resolve(0));
      server.closeAllConnections();
      target.close();
      pool?.closeAll();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** Passwords from the environment, a file or the URL never reach a printed message. */
const knownAndEnv = (): string[] => {
  const env = process.env.REDIS_PASSWORD;
  return env ? [env, ...knownSecrets] : knownSecrets;
};
/** For the program frame, which masks URL passwords itself where a message may hold one. */
const replaceKnown = (text: string): string => replaceSecrets(text, knownAndEnv());
/** Last resort for an error that escaped everything: URLs and every known secret. */
const redact = (text: string): string => redactSecrets(text, knownAndEnv());

/** The exporter program: flags, help, version and serve, with the shared exit codes (runtime/program.ts). */
export const exporterProgram = (cwd: string): Program<typeof FLAGS> => ({
  ...exporterCli,
  run: (values) => serve(toOptions(values), cwd),
  redact: replaceKnown,
});

if (isEntryPoint(import.meta.url)) {
  runMain('redis-queue-exporter', () => runProgram(exporterProgram(process.cwd())), { redact });
}
