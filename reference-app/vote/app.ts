/**
 * The vote service as an express app built from injected parts (Redis client, optional PostgreSQL
 * pool for /results, optional registry — absent means metrics off), so tests and main.ts share it.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { enqueueFailureReason, httpMetrics, UNMATCHED_ROUTE } from 'voting-mixin/instrument';
import type { Pool } from '../shared/db.js';
import { tallies } from '../shared/db.js';
import type { Logger } from '../shared/logger.js';
import { observe } from '../shared/observe.js';
import { encodeQueueItem, newQueueItem } from '../shared/queue-item.js';
import { parseCookies, setCookieValue, VOTE_COOKIE, voterSetCookie } from './cookies.js';
import { fastVote, RETRY_AFTER_SECONDS, voteBodyError, voterOf } from './fast-vote.js';
import { injectFaults, noFaults, parseFaults, type VoteFaults } from './faults.js';
import { votePage } from './page.js';
import { type VoteRateLimits, voteGuard } from './vote-guard.js';
import { voteMetrics } from './vote-metrics.js';
import { randomSecret, type VoterCookie, type VoterSigner, voterSigner } from './voter-cookie.js';

export interface VoteAppDeps {
  redis: Redis;
  /** For GET /results; without it /results answers 503. */
  pool?: Pool;
  /** Metrics on when given; `undefined` is the --no-metrics mode used to measure overhead. */
  registry?: Registry;
  logger: Logger;
  options: readonly string[];
  queueKey: string;
  enableAdmin?: boolean;
  /** Signs and checks the voter cookie; absent: a random secret of this app's own (tests). */
  signer?: VoterSigner;
  /**
   * One reverse proxy in front (express `trust proxy` = 1): its X-Forwarded-Proto decides the
   * cookie's Secure flag, X-Forwarded-Host the same-origin check, X-Forwarded-For the client
   * address. Off, those headers are the client's word and ignored.
   */
  behindProxy?: boolean;
  /** Per-client limits on POST /vote (429 + Retry-After); absent: none. */
  rateLimits?: VoteRateLimits;
}

export const BODY_LIMIT_BYTES = 1024;
type Handle = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

export function createVoteApp(deps: VoteAppDeps): { app: Express; faults: VoteFaults } {
  const { redis, pool, registry, logger, options, queueKey } = deps;
  const signer = deps.signer ?? voterSigner([randomSecret()]);
  const faults = noFaults();
  const vm = registry && voteMetrics(registry, options, queueKey);
  const vg = voteGuard(signer, deps.rateLimits, vm?.rateLimited);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (deps.behindProxy) app.set('trust proxy', 1);
  const observed = observe(logger, registry && httpMetrics(registry));
  app.use(observed);
  // The common POST /vote is answered before express (fast-vote.ts); everything else reaches it.
  if (!deps.behindProxy) {
    const fast = fastVote({
      redis,
      logger,
      options,
      queueKey,
      signer,
      guard: vg,
      faults,
      vm,
      bodyLimit: BODY_LIMIT_BYTES,
      observe: observed,
    });
    const handle = (app as unknown as { handle: Handle }).handle.bind(app);
    (app as unknown as { handle: Handle }).handle = (req, res, next) => {
      if (!fast(req, res)) handle(req, res, next);
    };
  }
  // Whatever the content type, a declared body over the limit is refused before it is read.
  app.use((req, res, next) => {
    if (Number(req.headers['content-length'] ?? 0) > BODY_LIMIT_BYTES) {
      // Refused before routing: no template matched yet, so name the route for the metrics here.
      res.locals.route ??= routeOf(req.path);
      res.setHeader('Connection', 'close');
      res.status(413).json({ error: `body larger than ${BODY_LIMIT_BYTES} bytes` });
      return;
    }
    next();
  });

  const known = new Set<string>();
  const routeOf = (path: string): string => (known.has(path) ? path : UNMATCHED_ROUTE);
  /** Registers a route's methods and answers every other method with 405 + Allow. */
  const route = (path: string, handlers: Partial<Record<'get' | 'post' | 'delete', RequestHandler[]>>): void => {
    known.add(path);
    const r = app.route(path);
    const allow = Object.keys(handlers).map((m) => m.toUpperCase());
    if (allow.includes('GET')) allow.push('HEAD');
    // The metrics' route label is the template express matched (req.route.path): no per-route tagging.
    for (const [method, hs] of Object.entries(handlers)) r[method as 'get'](...hs);
    r.all((req, res) => {
      res.setHeader('Allow', allow.join(', '));
      if (req.method === 'OPTIONS') res.status(204).end();
      else res.status(405).json({ error: `method ${req.method} not allowed on ${path}`, allow });
    });
  };
  const chaos = injectFaults(faults);
  const json = express.json({ limit: BODY_LIMIT_BYTES, strict: true });
  const form = express.urlencoded({ limit: BODY_LIMIT_BYTES, extended: false, parameterLimit: 10 });

  route('/', {
    get: [
      chaos,
      (req, res) => {
        const cookies = parseCookies(req.headers.cookie);
        const voter = signer.read(req.headers.cookie);
        // A first visit (or a cookie that is not ours) gets a voter id, unless its address is over the
        // new-voter limit (the page still shows; its vote then meets that limit); an old secret's, a re-signed one.
        if (voter.kind !== 'valid') {
          if (vg.mayIssue(vg.usesAddress ? req.ip : undefined))
            res.setHeader('Set-Cookie', voterSetCookie(signer.issue().value, req.secure));
        } else if (voter.resign) res.setHeader('Set-Cookie', voterSetCookie(signer.sign(voter.id), req.secure));
        const current = cookies[VOTE_COOKIE];
        res.type('html').send(votePage(options, current && options.includes(current) ? current : undefined));
      },
    ],
  });

  /** Before the body is read: cross-site posts, cookies we did not sign, clients over their rate (vote-guard.ts). */
  const guard: RequestHandler = (req, res, next) => {
    const h = req.headers;
    const r = vg.check(h, deps.behindProxy ? req.host : h.host, vg.usesAddress ? req.ip : undefined);
    if (r.kind === 'refused') {
      if (r.setVoter !== undefined) res.setHeader('Set-Cookie', voterSetCookie(r.setVoter, req.secure));
      if (r.retryAfter !== undefined) res.setHeader('Retry-After', r.retryAfter);
      res.status(r.status).json(r.body);
      return;
    }
    res.locals.voter = r;
    next();
  };

  route('/vote', {
    post: [
      chaos,
      guard,
      json,
      form,
      async (req, res) => {
        const isForm = req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
        if (!req.is('application/json') && !isForm) {
          res.status(415).json({ error: 'send application/json or application/x-www-form-urlencoded' });
          return;
        }
        const bad = voteBodyError(req.body, options);
        if (bad) {
          res.status(400).json(bad);
          return;
        }
        const option = (req.body as { option: string }).option;
        const { voter, setVoter } = voterOf(res.locals.voter as VoterCookie, signer);
        const item = newQueueItem(voter, option);
        try {
          // The 2xx below is sent only after Redis acknowledged the push.
          await redis.lpush(queueKey, encodeQueueItem(item));
        } catch (err) {
          const reason = enqueueFailureReason(err, redis.status);
          vm?.failed(reason);
          logger.warn({ reqId: res.locals.requestId, reason, err: (err as Error).message }, 'enqueue failed');
          res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
          res.status(503).json({ error: 'vote queue unavailable, retry later', reason });
          return;
        }
        vm?.accepted(item.option);
        const voteCookie = setCookieValue(VOTE_COOKIE, item.option);
        res.setHeader(
          'Set-Cookie',
          setVoter === undefined ? voteCookie : [voteCookie, voterSetCookie(setVoter, req.secure)],
        );
        if (isForm) {
          res.redirect(303, '/');
        } else {
          // What res.status(202).json() sends, written directly: the hot path needs neither its
          // ETag/freshness checks nor its type sniffing.
          const payload = JSON.stringify({ status: 'accepted', id: item.id, voter, option: item.option });
          res.statusCode = 202;
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.setHeader('Content-Length', Buffer.byteLength(payload));
          res.end(payload);
        }
      },
    ],
  });

  route('/results', {
    get: [
      chaos,
      async (_req, res) => {
        if (!pool) {
          res.status(503).json({ error: 'results need --database-url' });
          return;
        }
        try {
          const counts = await tallies(pool, options);
          res.json({ options: counts, total: Object.values(counts).reduce((a, b) => a + b, 0) });
        } catch (err) {
          logger.warn({ reqId: res.locals.requestId, err: (err as Error).message }, 'results query failed');
          res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
          res.status(503).json({ error: 'results database unavailable' });
        }
      },
    ],
  });

  route('/health', { get: [(_req, res) => void res.json({ status: 'ok' })] });

  route('/ready', {
    get: [
      async (_req, res) => {
        try {
          await redis.ping();
          res.json({ status: 'ready', redis: 'ok' });
        } catch (err) {
          res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
          res.status(503).json({ status: 'not ready', redis: (err as Error).message });
        }
      },
    ],
  });

  if (registry) {
    route('/metrics', {
      get: [
        async (_req, res) => {
          res.type(registry.contentType).send(await registry.metrics());
        },
      ],
    });
  }

  if (deps.enableAdmin) {
    route('/admin/faults', {
      get: [(_req, res) => void res.json(faults)],
      post: [
        json,
        (req, res) => {
          const next = parseFaults(req.body, faults);
          if (typeof next === 'string') {
            res.status(400).json({ error: next });
            return;
          }
          Object.assign(faults, next);
          logger.warn({ faults }, 'fault injection changed');
          res.json(faults);
        },
      ],
      delete: [
        (_req, res) => {
          Object.assign(faults, noFaults());
          logger.warn({ faults }, 'fault injection cleared');
          res.json(faults);
        },
      ],
    });
  }

  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  app.use(errorHandler(logger));
  return { app, faults };
}

/** Body-parser and unexpected errors → JSON, never a crash or an HTML stack trace. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: { type?: string; status?: number; message?: string }, _req, res, _next) => {
    if (res.headersSent) return;
    const status =
      err.type === 'entity.too.large'
        ? 413
        : err.type === 'entity.parse.failed'
          ? 400
          : err.type === 'charset.unsupported' || err.type === 'encoding.unsupported'
            ? 415
            : typeof err.status === 'number' && err.status >= 400 && err.status < 500
              ? err.status
              : 500;
    const message =
      status === 413
        ? `body larger than ${BODY_LIMIT_BYTES} bytes`
        : status === 400
          ? 'malformed request body'
          : status === 500
            ? 'internal error'
            : (err.message ?? 'bad request');
    if (status === 500) logger.error({ reqId: res.locals.requestId, err: err.message }, 'unhandled error');
    res.status(status).json({ error: message });
  };
}
