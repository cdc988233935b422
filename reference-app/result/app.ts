/**
 * The result service as an express app built from injected parts (PostgreSQL pool, registry),
 * so tests and main.ts share it: GET / (the live page), GET /results (JSON), GET /results/stream
 * (Server-Sent Events), /health, /ready, /metrics. It only reads PostgreSQL; it never touches Redis.
 */
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Response } from 'express';
import type { Registry } from 'prom-client';
import { httpMetrics } from 'voting-mixin/instrument';
import type { Pool } from '../shared/db.js';
import type { Logger } from '../shared/logger.js';
import { observe } from '../shared/observe.js';
import { ResultsFeed } from './feed.js';
import { resultsPage } from './page.js';
import { resultMetrics } from './result-metrics.js';
import { readResults, withTimeout } from './results.js';

export interface ResultAppDeps {
  pool: Pool;
  /** Metrics on when given (/metrics served); absent in tests that do not look at them. */
  registry?: Registry;
  logger: Logger;
  options: readonly string[];
  /** How often the live stream re-reads the results, in milliseconds. */
  pollIntervalMs: number;
}

export interface ResultApp {
  app: Express;
  /** Ends every open stream and stops the reads (shutdown: server.close would wait for them). */
  close(): void;
  /** Open streams right now (tests). */
  readonly viewers: number;
}

export const RETRY_AFTER_SECONDS = '2';
export const STREAM_PATH = '/results/stream';
/** A viewer with this much unsent (it stopped reading) is dropped: its buffer must not grow without bound. */
const MAX_BUFFERED_BYTES = 64 * 1024;

export function createResultApp(deps: ResultAppDeps): ResultApp {
  const { pool, registry, logger, options } = deps;
  const read = () => readResults(pool, options);
  if (registry) resultMetrics(registry, read, logger);
  const http = registry && httpMetrics(registry);
  const feed = new ResultsFeed(read, deps.pollIntervalMs, logger);
  const streams = new Set<Response>();

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const observed = observe(logger, http);
  // A stream lasts as long as the page stays open: timed like a request it would pull p95 latency
  // to minutes and sit in the in-flight gauge. It is counted once when it opens (below) instead.
  app.use((req, res, next) => {
    if (req.path === STREAM_PATH && (req.method === 'GET' || req.method === 'HEAD')) next();
    else observed(req, res, next);
  });

  /** Registers a route's GET (and HEAD) and answers every other method with 405 + Allow. */
  const route = (path: string, get: RequestHandler): void => {
    app
      .route(path)
      .get(get)
      .all((req, res) => {
        res.setHeader('Allow', 'GET, HEAD');
        if (req.method === 'OPTIONS') res.status(204).end();
        else res.status(405).json({ error: `method ${req.method} not allowed on ${path}`, allow: ['GET', 'HEAD'] });
      });
  };
  const unavailable = (res: Response, err: unknown): void => {
    logger.warn({ reqId: res.locals.requestId, err: (err as Error).message }, 'results query failed');
    res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
  };

  route('/', async (_req, res) => {
    try {
      res.type('html').send(resultsPage(options, await read()));
    } catch (err) {
      // Still the page (its script fills it in once PostgreSQL is back), but an honest status.
      unavailable(res, err);
      res.status(503).type('html').send(resultsPage(options, undefined));
    }
  });

  route('/results', async (_req, res) => {
    try {
      res.json(await read());
    } catch (err) {
      unavailable(res, err);
      res.status(503).json({ error: 'results database unavailable' });
    }
  });

  route(STREAM_PATH, (req, res) => {
    http?.requests.inc({ method: req.method, route: STREAM_PATH, status: '200' });
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // nginx would otherwise hold the events back in its buffer.
      'X-Accel-Buffering': 'no',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    streams.add(res);
    // The browser reconnects by itself after this long when the stream breaks.
    res.write('retry: 3000\n\n');
    const stop = feed.subscribe((chunk) => {
      res.write(chunk);
      if (res.writableLength <= MAX_BUFFERED_BYTES) return true;
      res.end();
      return false;
    });
    res.once('close', () => {
      stop();
      streams.delete(res);
    });
  });

  route('/health', (_req, res) => void res.json({ status: 'ok' }));

  route('/ready', async (_req, res) => {
    try {
      await withTimeout(pool.query('SELECT 1'), 2_000, 'SELECT 1');
      res.json({ status: 'ready', db: 'ok' });
    } catch (err) {
      res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
      res.status(503).json({ status: 'not ready', db: (err as Error).message });
    }
  });

  if (registry) {
    route('/metrics', async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    });
  }

  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  app.use(errorHandler(logger));
  return {
    app,
    close() {
      feed.close();
      for (const res of streams) res.end();
      streams.clear();
    },
    get viewers() {
      return feed.viewerCount;
    },
  };
}

/** Malformed URLs and unexpected errors → JSON, never a crash or an HTML stack trace. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: { status?: number; message?: string }, _req, res, _next) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error({ reqId: res.locals.requestId, err: err.message }, 'unhandled error');
    res.status(status).json({ error: status === 500 ? 'internal error' : 'bad request' });
  };
}
