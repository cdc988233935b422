/**
 * One middleware for the RED metrics and the access log: request id in/out (X-Request-Id),
 * in-flight gauge, and on close one counter increment, one histogram observation and one JSON log
 * line. The route label is the template a handler declares in `res.locals.route`, never the raw
 * URL, so a scanner hitting random paths cannot blow up the series count.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metrics } from '../../config/metrics.js';
import type { Logger } from './logger.js';
import { instrument } from './metrics.js';

export interface HttpMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route' | 'status'>;
  inFlight: Gauge<never>;
}

export function httpMetrics(registry: Registry): HttpMetrics {
  return {
    requests: instrument(metrics.httpRequestsTotal, registry),
    duration: instrument(metrics.httpRequestDurationSeconds, registry),
    inFlight: instrument(metrics.httpRequestsInFlight, registry),
  };
}

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
/** Route label for requests no handler claimed (404s). */
export const UNMATCHED_ROUTE = 'unmatched';

/** Declares the route template for metrics and logs: `app.get('/vote', routeName('/vote'), handler)`. */
export const routeName =
  (route: string): RequestHandler =>
  (_req, res, next) => {
    res.locals.route = route;
    next();
  };

type Children = {
  requests: ReturnType<HttpMetrics['requests']['labels']>;
  duration: ReturnType<HttpMetrics['duration']['labels']>;
};
const childCache = new WeakMap<HttpMetrics, Map<string, Children>>();

/**
 * The label children for one (method, route, status), cached: prom-client hashes a label object
 * on every inc/observe, which is a measurable share of the vote hot path. The key space is small
 * (route templates × methods × statuses), so the cache stays bounded.
 */
function childrenFor(m: HttpMetrics, method: string, route: string, status: string): Children {
  let cache = childCache.get(m);
  if (!cache) childCache.set(m, (cache = new Map()));
  const key = `${method} ${route} ${status}`;
  let c = cache.get(key);
  if (!c) {
    const labels = { method, route, status };
    c = { requests: m.requests.labels(labels), duration: m.duration.labels(labels) };
    cache.set(key, c);
  }
  return c;
}

export function observe(logger: Logger, m?: HttpMetrics): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    m?.inFlight.inc();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = (res.locals.route as string | undefined) ?? UNMATCHED_ROUTE;
      const status = String(res.statusCode);
      if (m) {
        m.inFlight.dec();
        const child = childrenFor(m, req.method, route, status);
        child.requests.inc();
        child.duration.observe(seconds);
      }
      const level = res.statusCode >= 500 ? 'error' : 'info';
      logger[level](
        {
          reqId: id,
          method: req.method,
          route,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1e5) / 100,
          aborted: !res.writableFinished || undefined,
        },
        'request',
      );
    });
    next();
  };
}
