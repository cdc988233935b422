/**
 * POST /vote without express: near its limit the vote service spent more CPU in express's router,
 * body-parser and the request/response wrappers than in the vote itself (profile in
 * BENCHMARKS.md). This path answers the common vote — a JSON body of known length on a plain
 * request — on node's own request and response, with the same observation (request id, RED
 * metrics with route `/vote`, the access log line), the same checks in the same order (cross-site
 * and voter cookie, strict JSON, body fields) and byte-identical answers. Anything else — a form,
 * chunked or compressed bodies, another charset, injected faults, a proxy whose headers must be
 * trusted, a URL with a query or another spelling — goes to express untouched (nothing read yet).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { enqueueFailureReason } from 'voting-mixin/instrument';
import type { Logger } from '../shared/logger.js';
import { encodeQueueItem, newQueueItem } from '../shared/queue-item.js';
import { setCookieValue, VOTE_COOKIE, voterSetCookie } from './cookies.js';
import type { VoteFaults } from './faults.js';
import { type VoteGuard, voteGuard } from './vote-guard.js';
import type { VoteMetrics } from './vote-metrics.js';
import type { VoterCookie, VoterSigner } from './voter-cookie.js';

export const RETRY_AFTER_SECONDS = '1';
const JSON_TYPE = 'application/json; charset=utf-8';

/** What the body of a vote must hold: the error answer (400) when it does not, else undefined. */
export function voteBodyError(body: unknown, options: readonly string[]): Record<string, unknown> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: 'body must be a JSON object with "option"' };
  }
  const b = body as Record<string, unknown>;
  // Refused, not ignored: a client that believes it chooses the voter must learn it does not.
  if (b.voter !== undefined) {
    return { error: 'do not send "voter": the voter id comes from the voter_id cookie this service issues' };
  }
  if (b.option === undefined || b.option === '') return { error: 'missing field "option"', valid: options };
  if (typeof b.option !== 'string' || !options.includes(b.option)) return { error: 'unknown option', valid: options };
  return undefined;
}

/**
 * The voter of a vote: the id of a cookie we signed, else a new voter (no cookie: curl and load
 * tools vote, each cookieless vote as another voter). `setVoter` is the cookie value to send.
 */
export function voterOf(cookie: VoterCookie, signer: VoterSigner): { voter: string; setVoter?: string } {
  if (cookie.kind === 'valid')
    return cookie.resign ? { voter: cookie.id, setVoter: signer.sign(cookie.id) } : { voter: cookie.id };
  const issued = signer.issue();
  return { voter: issued.id, setVoter: issued.value };
}

/** What express's `res.status(s).json(body)` sends (no ETag: the app turns it off), without express. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

export interface FastVoteDeps {
  redis: Redis;
  logger: Logger;
  options: readonly string[];
  queueKey: string;
  signer: VoterSigner;
  /** The express route's checks before the body (vote-guard.ts), the same object; absent: no rate limits. */
  guard?: VoteGuard;
  faults: VoteFaults;
  vm: VoteMetrics | undefined;
  bodyLimit: number;
  /** The app's observation middleware (observe.ts); called with `res.locals.route` already set. */
  observe: RequestHandler;
}

const noop = (): void => {};

/** The first character that is not JSON whitespace (space, tab, LF, CR), as body-parser's strict check. */
function firstNonBlank(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return s[i];
  }
  return undefined;
}

/** `(req, res) => handled`: false leaves the request to express, untouched. */
export function fastVote(d: FastVoteDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { redis, logger, options, queueKey, signer, faults, vm } = d;
  const g = d.guard ?? voteGuard(signer);

  const accept = (req: IncomingMessage, res: ServerResponse & { locals: Record<string, unknown> }, raw: string) => {
    let body: unknown;
    // body-parser's strict JSON (iconv drops a BOM; JSON.parse does not): only an object or array.
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    const first = firstNonBlank(text);
    try {
      if (first !== '{' && first !== '[') throw new SyntaxError('strict');
      body = JSON.parse(text);
    } catch {
      sendJson(res, 400, { error: 'malformed request body' });
      return;
    }
    const bad = voteBodyError(body, options);
    if (bad) {
      sendJson(res, 400, bad);
      return;
    }
    const option = (body as { option: string }).option;
    const { voter, setVoter } = voterOf(res.locals.voter as VoterCookie, signer);
    const item = newQueueItem(voter, option);
    // The 2xx below is sent only after Redis acknowledged the push.
    redis.lpush(queueKey, encodeQueueItem(item)).then(
      () => {
        vm?.accepted(option);
        const voteCookie = setCookieValue(VOTE_COOKIE, option);
        const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
        res.setHeader(
          'Set-Cookie',
          setVoter === undefined ? voteCookie : [voteCookie, voterSetCookie(setVoter, secure)],
        );
        sendJson(res, 202, { status: 'accepted', id: item.id, voter, option });
      },
      (err: unknown) => {
        const reason = enqueueFailureReason(err, redis.status);
        vm?.failed(reason);
        logger.warn({ reqId: res.locals.requestId, reason, err: (err as Error).message }, 'enqueue failed');
        res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
        sendJson(res, 503, { error: 'vote queue unavailable, retry later', reason });
      },
    );
  };

  return (req, res) => {
    if (req.method !== 'POST' || req.url !== '/vote') return false;
    const h = req.headers;
    const type = h['content-type'];
    if (type !== 'application/json' && type?.toLowerCase() !== 'application/json; charset=utf-8') return false;
    const length = h['content-length'];
    if (length === undefined || !/^[1-9]\d{0,3}$/.test(length) || Number(length) > d.bodyLimit) return false;
    if (h['transfer-encoding'] !== undefined || h['content-encoding'] !== undefined) return false;
    if (faults.errorRate !== 0 || faults.latencyMs !== 0) return false;

    const r = res as ServerResponse & { locals: Record<string, unknown> };
    r.locals = { route: '/vote' };
    d.observe(req as Request, r as unknown as Response, noop);
    // The express route's guard, the same checks: before the body is read.
    const cookie = g.check(h, h.host, g.usesAddress ? req.socket.remoteAddress : undefined);
    if (cookie.kind === 'refused') {
      if (cookie.setVoter !== undefined) {
        const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
        res.setHeader('Set-Cookie', voterSetCookie(cookie.setVoter, secure));
      }
      if (cookie.retryAfter !== undefined) res.setHeader('Retry-After', cookie.retryAfter);
      sendJson(res, cookie.status, cookie.body);
      return true;
    }
    r.locals.voter = cookie;
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => accept(req, r, raw));
    return true;
  };
}
