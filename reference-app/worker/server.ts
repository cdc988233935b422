/** The worker's own HTTP port: /metrics, /health, /ready and (with --enable-admin) /admin/faults. */
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Pool } from '../shared/db.js';
import type { Logger } from '../shared/logger.js';
import type { VoteWorker, WorkerFaults } from './worker.js';

export interface WorkerServerDeps {
  worker: VoteWorker;
  registry?: Registry;
  control: Redis;
  pool: Pool;
  logger: Logger;
  enableAdmin?: boolean;
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);

export function parseWorkerFaults(body: unknown, current: WorkerFaults): WorkerFaults | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'expected a JSON object';
  const next = { ...current };
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === 'paused') {
      if (typeof v !== 'boolean') return 'paused must be true or false';
      next.paused = v;
    } else if (k === 'slowMs') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 60_000)
        return 'slowMs must be a number from 0 to 60000';
      next.slowMs = v;
    } else return `unknown field "${k}"; valid: paused, slowMs`;
  }
  return next;
}

export function workerServer(d: WorkerServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  const only = (allow: string) => (req: express.Request, res: express.Response) => {
    res.setHeader('Allow', allow);
    res.status(405).json({ error: `method ${req.method} not allowed`, allow: allow.split(', ') });
  };
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/ready', async (_req, res) => {
    // Live checks, not just remembered state: an idle worker must notice PostgreSQL going away too.
    const [redis, db] = await Promise.all([
      withTimeout(d.control.ping(), 1_000).then(
        () => 'ok',
        (e: Error) => e.message,
      ),
      withTimeout(d.pool.query('SELECT 1'), 2_500).then(
        () => 'ok',
        (e: Error) => e.message,
      ),
    ]);
    const ok = redis === 'ok' && db === 'ok' && d.worker.health.started;
    if (!ok) res.setHeader('Retry-After', '1');
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ready' : 'not ready',
      redis,
      db,
      started: d.worker.health.started,
      paused: d.worker.faults.paused,
    });
  });
  if (d.registry) {
    const registry = d.registry;
    app.get('/metrics', async (_req, res) => void res.type(registry.contentType).send(await registry.metrics()));
  }
  if (d.enableAdmin) {
    const faults = d.worker.faults;
    app.get('/admin/faults', (_req, res) => void res.json(faults));
    app.post('/admin/faults', express.json({ limit: 1024 }), (req, res) => {
      const next = parseWorkerFaults(req.body, faults);
      if (typeof next === 'string') {
        res.status(400).json({ error: next });
        return;
      }
      Object.assign(faults, next);
      d.logger.warn({ faults }, 'fault injection changed');
      res.json(faults);
    });
    app.delete('/admin/faults', (_req, res) => {
      Object.assign(faults, { paused: false, slowMs: 0 });
      d.logger.warn({ faults }, 'fault injection cleared');
      res.json(faults);
    });
    app.all('/admin/faults', only('GET, POST, DELETE'));
  }
  for (const p of ['/health', '/ready', ...(d.registry ? ['/metrics'] : [])]) app.all(p, only('GET, HEAD'));
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, _next) => {
    const status =
      err.type === 'entity.too.large' ? 413 : err.type === 'entity.parse.failed' ? 400 : (err.status ?? 500);
    res.status(status).json({ error: status === 500 ? 'internal error' : 'bad request body' });
  };
  app.use(onError);
  return app;
}
