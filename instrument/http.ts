/**
 * HTTP RED metrics for an express (4 or 5) or node:http service, from the catalog:
 * `http_requests_total`, `http_request_duration_seconds` and `http_requests_in_flight`, labelled
 * by method, route TEMPLATE and status. The route label is the template that matched
 * (`/items/:id`), never the raw path, so a scanner hitting random URLs cannot blow up the series
 * count; requests no route claimed are `unmatched`. Two limits of express are handled here:
 * - the mount path of a router is known only as the path it matched (`/users/7`), not as its
 *   template: a router mounted at a path with parameters declares it with `routePrefix()`;
 * - express resets `req.baseUrl` when a router is left, so an error handled at the app level
 *   would lose the prefix: the template is captured when express sets `req.route`.
 * A request the client abandoned before the response was complete is counted with status 499
 * (as nginx logs it), not with the 200 that was never delivered. Past `maxRoutes` distinct
 * templates, new ones are counted as `other`: a bug cannot turn into unbounded series.
 *
 * Typed structurally (no dependency on express): `app.use(httpMiddleware({ metrics }))`.
 */
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metrics as catalog } from '../config/metrics.js';
import { sharedMetric } from './metric.js';

export interface HttpMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route' | 'status'>;
  inFlight: Gauge<never>;
}

/** Creates the three HTTP metrics on `registry`. */
export function httpMetrics(registry: Registry): HttpMetrics {
  return {
    requests: sharedMetric(catalog.httpRequestsTotal, registry),
    duration: sharedMetric(catalog.httpRequestDurationSeconds, registry),
    inFlight: sharedMetric(catalog.httpRequestsInFlight, registry),
  };
}

/** Route label of requests no route handler claimed (404s, requests refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';
/** Route label once `maxRoutes` distinct templates have been seen. */
export const OTHER_ROUTE = 'other';
/** Status label of a request the client abandoned before the response was complete (nginx's 499). */
export const CLIENT_CLOSED_STATUS = 499;

/** What the middleware needs of a request: express's `Request` and node's `IncomingMessage` fit. */
export interface HttpRequestLike {
  method?: string | undefined;
  /** express: the mount path of the router that handled the request. */
  baseUrl?: string;
  /** express: the route that matched; its `path` is the template. */
  route?: { path?: unknown } | undefined;
}

/** What the middleware needs of a response: express's `Response` and node's `ServerResponse` fit. */
export interface HttpResponseLike {
  statusCode: number;
  writableFinished?: boolean;
  /** express: `res.locals.route` set by a handler overrides the matched template. */
  locals?: Record<string, unknown>;
  once(event: 'close', listener: () => void): unknown;
}

/** One finished request, as the metrics saw it; handed to `onResponse` (e.g. for an access log). */
export interface HttpObservation {
  method: string;
  route: string;
  status: number;
  seconds: number;
  /** The client went away before the response was complete. */
  aborted: boolean;
}

export interface HttpMiddlewareOptions<Req extends HttpRequestLike, Res extends HttpResponseLike> {
  /** Metrics to record into; omit to only observe (metrics turned off). */
  metrics?: HttpMetrics | undefined;
  /** Called once per request when the response is closed. */
  onResponse?: (req: Req, res: Res, o: HttpObservation) => void;
  /** Distinct route templates before new ones are counted as `other` (default 200). */
  maxRoutes?: number;
}

/**
 * Declares the template of a router's mount path, for routers mounted at a path with parameters:
 * `app.use('/users/:uid', routePrefix('/users/:uid'), usersRouter)`. Without it the label would
 * carry the matched path (`/users/7/posts/:pid`), one series per user.
 */
export function routePrefix(template: string): (req: HttpRequestLike, res: HttpResponseLike, next: () => void) => void {
  return (req, res, next) => {
    if (res.locals) res.locals.routePrefix = { template, mountedAt: req.baseUrl ?? '' } satisfies DeclaredPrefix;
    next();
  };
}

/** A mount path's template, and the path it matched (`/users/7`) to know when a route is inside it. */
interface DeclaredPrefix {
  template: string;
  mountedAt: string;
}

/**
 * The template of the mount path a route was matched under: the declared prefix (plus whatever
 * nested routers added after it) while inside the router that declared it, else `baseUrl`.
 */
function mountTemplate(req: HttpRequestLike, res: HttpResponseLike): string {
  const base = req.baseUrl ?? '';
  const p = res.locals?.routePrefix as DeclaredPrefix | undefined;
  if (p && typeof p.template === 'string' && (base === p.mountedAt || base.startsWith(`${p.mountedAt}/`))) {
    return p.template + base.slice(p.mountedAt.length);
  }
  return base;
}

/**
 * Names the route of a request on a server without a router (node:http): call it in the handler,
 * before responding. `nameRoute(req, '/items/:id')`; unnamed requests count as `unmatched`.
 */
export function nameRoute(req: HttpRequestLike, template: string): void {
  req.route = { path: template };
}

const joinTemplate = (prefix: string, path: unknown): string =>
  `${prefix}${Array.isArray(path) ? path.map(String).join('|') : String(path)}`;

/** The route template of a finished request: `res.locals.route`, else express's matched route, else `unmatched`. */
export function routeTemplate(req: HttpRequestLike, res: HttpResponseLike): string {
  const explicit = res.locals?.route;
  if (typeof explicit === 'string') return explicit;
  const path = req.route?.path;
  if (path === undefined || path === null) return UNMATCHED_ROUTE;
  return joinTemplate(mountTemplate(req, res), path);
}

/**
 * Captures the template at the moment express sets `req.route` (its router is still entered, so
 * `baseUrl` is right); read at close time, after express may have reset `baseUrl`.
 */
function watchRoute(req: HttpRequestLike, res: HttpResponseLike): () => string | undefined {
  let route = req.route;
  let captured: string | undefined;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: HttpRequestLike['route']) {
      route = value;
      if (value?.path !== undefined && value.path !== null)
        captured = joinTemplate(mountTemplate(req, res), value.path);
    },
  });
  return () => captured;
}

type Children = {
  requests: ReturnType<HttpMetrics['requests']['labels']>;
  duration: ReturnType<HttpMetrics['duration']['labels']>;
};
/** Per metrics object: the label children by `method route status`, and the route templates seen. */
interface ChildCache {
  children: Map<string, Children>;
  routes: Set<string>;
}
const childCaches = new WeakMap<HttpMetrics, ChildCache>();

/** The cache of `m`, shared by every middleware recording into it (so `maxRoutes` counts them all). */
function childCacheOf(m: HttpMetrics): ChildCache {
  let c = childCaches.get(m);
  if (!c) {
    c = { children: new Map(), routes: new Set() };
    childCaches.set(m, c);
  }
  return c;
}

/**
 * The label children for one (method, route, status), cached: prom-client hashes a label object
 * on every inc/observe, which is a measurable share of a fast handler. The key space is small
 * (route templates × methods × statuses), so the cache stays bounded.
 */
function childrenFor(
  m: HttpMetrics,
  cache: ChildCache,
  method: string,
  route: string,
  status: number,
  maxRoutes: number,
): Children {
  if (route !== UNMATCHED_ROUTE && !cache.routes.has(route)) {
    if (cache.routes.size >= maxRoutes) route = OTHER_ROUTE;
    else cache.routes.add(route);
  }
  const key = `${method} ${route} ${status}`;
  let c = cache.children.get(key);
  if (!c) {
    const labels = { method, route, status: String(status) };
    c = { requests: m.requests.labels(labels), duration: m.duration.labels(labels) };
    cache.children.set(key, c);
  }
  return c;
}

/**
 * Middleware recording one counter increment and one histogram observation per request when its
 * response closes, and the in-flight gauge meanwhile. Mount it before the routes.
 */
export function httpMiddleware<Req extends HttpRequestLike, Res extends HttpResponseLike>(
  opts: HttpMiddlewareOptions<Req, Res> = {},
): (req: Req, res: Res, next: (err?: unknown) => void) => void {
  const { metrics: m, onResponse, maxRoutes = 200 } = opts;
  const cache = m && childCacheOf(m);
  return (req, res, next) => {
    const start = performance.now();
    m?.inFlight.inc();
    // A route named before the request reaches a router (a handler ahead of express) needs no
    // watching: redefining `req.route` on every request is a measurable cost near the limit.
    const matched = typeof res.locals?.route === 'string' ? undefined : watchRoute(req, res);
    res.once('close', () => {
      const seconds = (performance.now() - start) / 1e3;
      const explicit = res.locals?.route;
      const route = typeof explicit === 'string' ? explicit : (matched?.() ?? routeTemplate(req, res));
      const method = req.method ?? 'GET';
      const aborted = res.writableFinished === false;
      const status = aborted ? CLIENT_CLOSED_STATUS : res.statusCode;
      if (m && cache) {
        m.inFlight.dec();
        const child = childrenFor(m, cache, method, route, status, maxRoutes);
        child.requests.inc();
        child.duration.observe(seconds);
      }
      if (onResponse) onResponse(req, res, { method, route, status, seconds, aborted });
    });
    next();
  };
}
