#!/usr/bin/env node
/**
 * `redis-queue-exporter --listen :9121 --redis-url redis://127.0.0.1:6379` (the package's bin,
 * exporters/redis-queue/build/main.js)
 * Reads flags and env (flags win) and the mixin config's queues, checks everything before listening
 * (a mistake exits 2 with a message naming the flag, file or config path), then serves until
 * SIGTERM/SIGINT.
 */
import type { ConnectionOptions } from 'node:tls';
import { pino } from 'pino';
import { ConfigError } from 'voting-mixin/config';
import { serviceRegistry } from 'voting-mixin/instrument';
import { isEntryPoint, loadConfig, readSecretFile, redactSecrets, runMain, UsageError } from 'voting-mixin/runtime';
import { type ExporterOptions, HELP, parseOptions } from './options.js';
import { RedisUrlError, redisTarget } from './redis-url.js';
import { createExporterServer } from './server.js';
import { openTarget, TargetPool, type TargetSettings } from './target.js';
import { exporterVersion } from './version.js';

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

export async function main(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  let opts: ExporterOptions;
  let settings: TargetSettings;
  let mainUrl: ReturnType<typeof redisTarget>;
  try {
    opts = parseOptions(argv, env);
    if (opts.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (opts.version) {
      process.stdout.write(`redis-queue-exporter ${exporterVersion()}\n`);
      return 0;
    }
    const password = opts.redisPasswordFile
      ? readSecretFile(opts.redisPasswordFile, '--redis-password-file')
      : opts.redisPassword;
    if (password) knownSecrets.push(password);
    const tls = tlsOptions(opts);
    const credentials = { username: opts.redisUser, password };
    mainUrl = redisTarget(opts.redisUrl, credentials, tls);
    knownSecrets.push(...mainUrl.secrets);
    const { config, source } = await loadConfig(opts.config, cwd);
    const logger = pino({ level: opts.logLevel, base: { service: 'redis-queue-exporter' } });
    settings = {
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
  } catch (e) {
    if (e instanceof UsageError || e instanceof RedisUrlError) {
      process.stderr.write(`redis-queue-exporter: ${e.message}\nRun with --help for usage.\n`);
      return 2;
    }
    if (e instanceof ConfigError) {
      process.stderr.write(`redis-queue-exporter: config error: ${e.location ? `${e.location}: ` : ''}${e.message}\n`);
      return 2;
    }
    throw e;
  }

  const { logger } = settings;
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
    process.stderr.write(
      `redis-queue-exporter: cannot listen on ${opts.listenHost ?? ''}:${opts.listenPort}: ${listening.code ?? listening.message}\n`,
    );
    target.close();
    return 2;
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

if (isEntryPoint(import.meta.url)) {
  // Last resort for an unexpected error: still never print the password.
  const env = process.env.REDIS_PASSWORD;
  runMain('redis-queue-exporter', () => main(process.argv.slice(2), process.env, process.cwd()), {
    redact: (text) => redactSecrets(text, env ? [env, ...knownSecrets] : knownSecrets),
  });
}
