/**
 * HTTP side of the exporter: /metrics (the configured Redis), /scrape?target= (any Redis, as
 * redis_exporter's multi-target mode), /health and a landing page. A failed collection never
 * fails the request: the body then says redis_up 0 (Redis unreachable) or
 * redis_queue_exporter_last_scrape_timed_out 1 (Redis slow). A request the exporter cannot serve
 * counts in redis_target_scrape_request_errors_total, as redis_exporter's: a /scrape without a
 * valid target on /metrics' registry, an internal error on the registry of the target asked for.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { maskUrls } from 'voting-mixin/runtime';
import { readRegistry, writeExposition } from './exposition.js';
import { RedisUrlError } from './redis-url.js';
import type { Target, TargetPool } from './target.js';

export interface ServerDeps {
  main: Target;
  /** Undefined when multi-target mode is off. */
  pool: TargetPool | undefined;
  /** Collection deadline without a Prometheus header, in ms. */
  scrapeTimeoutMs: number;
  /** Kept free of Prometheus's own scrape timeout, for rendering and the network. */
  timeoutMarginMs: number;
  logger: Logger;
  version: string;
}

/** The collection deadline for one request: Prometheus's timeout minus the margin, capped by ours. */
export function deadlineMs(header: string | string[] | undefined, configuredMs: number, marginMs: number): number {
  const sec = Number(Array.isArray(header) ? header[0] : header);
  if (!header || !Number.isFinite(sec) || sec <= 0) return configuredMs;
  // Never below 100 ms or half the scrape timeout: a margin larger than the timeout itself is a misconfiguration.
  const fromHeader = Math.max(sec * 1000 - marginMs, Math.min(100, sec * 1000), sec * 500);
  return Math.min(configuredMs, fromHeader);
}

function landing(deps: ServerDeps): string {
  const multi = deps.pool
    ? `<li><a href="/scrape?target=${encodeURIComponent(deps.main.display)}">/scrape?target=…</a> — any Redis (multi-target mode)</li>`
    : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Redis queue exporter</title></head>
<body>
<h1>Redis queue exporter</h1>
<p>Version ${deps.version}. Watching ${escapeHtml(deps.main.display)}.</p>
<ul>
<li><a href="/metrics">/metrics</a> — queue and Redis metrics</li>
${multi}
<li><a href="/health">/health</a> — liveness of the exporter</li>
</ul>
</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function sendMetrics(res: ServerResponse, target: Target, timeoutMs: number): Promise<void> {
  target.collector.setNextTimeout(timeoutMs);
  const data = await readRegistry(target.registry);
  res.writeHead(200, { 'content-type': target.registry.contentType });
  await writeExposition(res, data);
  res.end();
}

/** The metrics of `target`; a failure (answered 500 by the caller) counts on the target's registry. */
async function serveTarget(res: ServerResponse, target: Target, timeoutMs: number): Promise<void> {
  try {
    await sendMetrics(res, target, timeoutMs);
  } catch (e) {
    target.collector.countRequestError();
    throw e;
  }
}

export function createExporterServer(deps: ServerDeps): Server {
  const { logger } = deps;
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res).catch((e: unknown) => {
      logger.error({ err: maskUrls(e instanceof Error ? e.message : String(e)) }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://exporter');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      res.end('method not allowed\n');
      return;
    }
    const timeoutMs = deadlineMs(
      req.headers['x-prometheus-scrape-timeout-seconds'],
      deps.scrapeTimeoutMs,
      deps.timeoutMarginMs,
    );
    switch (url.pathname) {
      case '/metrics':
        return serveTarget(res, deps.main, timeoutMs);
      case '/scrape': {
        const target = url.searchParams.get('target');
        if (!deps.pool) return badScrape(res, 404, 'multi-target mode is off (--max-targets 0)\n');
        if (!target) return badScrape(res, 400, "missing 'target' parameter, e.g. /scrape?target=redis://host:6379\n");
        let t: Target;
        try {
          t = deps.pool.get(target);
        } catch (e) {
          if (e instanceof RedisUrlError) return badScrape(res, 400, `${e.message}\n`);
          deps.main.collector.countRequestError();
          throw e;
        }
        return serveTarget(res, t, timeoutMs);
      }
      case '/health':
      case '/-/healthy': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`${JSON.stringify({ status: 'ok', redis: deps.main.redis.status })}\n`);
        return;
      }
      case '/':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(landing(deps));
        return;
      default:
        return text(res, 404, 'not found; see / for the endpoints\n');
    }
  }

  /** A /scrape request that names no Redis the exporter may ask: counted on /metrics, as redis_exporter does. */
  function badScrape(res: ServerResponse, status: number, body: string): void {
    deps.main.collector.countRequestError();
    text(res, status, body);
  }
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}
