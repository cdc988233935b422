#!/usr/bin/env node
/**
 * `node build/exporters/redis-queue/main.js --listen :9121 --redis-url redis://127.0.0.1:6379`
 * Reads flags and env (flags win) and the mixin config's queues, checks everything before listening
 * (a mistake exits 2 with a message naming the flag, file or config path), then serves until
 * SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ConfigError } from '../../config/config-check.js';
import { UsageError } from '../../scripts/lib/errors.js';
import { loadConfig } from '../../scripts/lib/load-config.js';
import { type ExporterOptions, HELP, parseOptions } from './options.js';
import { RedisUrlError, redact, redisTarget } from './redis-url.js';
import { createExporterServer } from './server.js';
import { openTarget, TargetPool, type TargetSettings } from './target.js';

const VERSION = '0.1.0';

function readSecretFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new UsageError(`${flag}: cannot read "${path}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

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
      process.stdout.write(`redis-queue-exporter ${VERSION}\n`);
      return 0;
    }
    const password = opts.redisPasswordFile
      ? readSecretFile(opts.redisPasswordFile, '--redis-password-file')
      : opts.redisPassword;
    const tls = tlsOptions(opts);
    const credentials = { username: opts.redisUser, password };
    mainUrl = redisTarget(opts.redisUrl, credentials, tls);
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
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges *_total, which promtool (rightly) rejects; nothing queries them.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  const target = openTarget(mainUrl, settings, registry);
  const pool = opts.maxTargets > 0 ? new TargetPool(settings, opts.maxTargets) : undefined;
  const server = createExporterServer({
    main: target,
    pool,
    scrapeTimeoutMs: opts.scrapeTimeoutMs,
    timeoutMarginMs: opts.timeoutMarginMs,
    logger,
    version: VERSION,
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

const isEntry = process.argv[1]?.endsWith('/exporters/redis-queue/main.js');
if (isEntry) {
  main(process.argv.slice(2), process.env, process.cwd()).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // Last resort: still never print the password.
      const secret = process.env.REDIS_PASSWORD ? [process.env.REDIS_PASSWORD] : [];
      process.stderr.write(
        `redis-queue-exporter: ${redact(e instanceof Error ? (e.stack ?? e.message) : String(e), secret)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
