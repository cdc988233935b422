/**
 * The vote service's request middleware: what is the app's own — the request id in and out
 * (X-Request-Id) and one JSON access-log line per request — on top of `httpMiddleware` from
 * voting-mixin/instrument, which records the RED metrics (route TEMPLATE label, in-flight gauge).
 * One 'close' listener per request serves both: the log line is written from the middleware's
 * `onResponse`.
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { type HttpMetrics, type HttpObservation, httpMiddleware } from 'voting-mixin/instrument';
import type { Logger } from './logger.js';

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Request id, RED metrics (when `metrics` is given; absent = --no-metrics) and the access log.
 * Mount it before the routes.
 */
export function observe(logger: Logger, metrics?: HttpMetrics): RequestHandler {
  const record = httpMiddleware<Request, Response>({
    metrics,
    onResponse: (_req, res, o: HttpObservation) => {
      logger[o.status >= 500 ? 'error' : 'info'](
        {
          reqId: res.locals.requestId,
          method: o.method,
          route: o.route,
          status: o.status,
          durationMs: Math.round(o.seconds * 1e5) / 100,
          aborted: o.aborted || undefined,
        },
        'request',
      );
    },
  });
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    record(req, res, next);
  };
}
