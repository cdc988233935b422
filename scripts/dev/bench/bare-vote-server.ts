#!/usr/bin/env node
/**
 * The floor the vote service is measured against in `npm run bench:app`: POST /vote on bare
 * `node:http` + ioredis LPUSH (auto-pipelined, as the vote service's client), with no framework,
 * no access log, no metrics. It does the same work a cookieless vote needs — the same checks and
 * answers (413 over 1 KiB, 415 without JSON, 400 for a malformed body, a missing or unknown
 * option or a body `voter`, 202 with `{status, id, voter, option}` once Redis acknowledged the
 * push, 503 when it did not), the same queue item, a new voter id in an HMAC-signed `voter_id`
 * cookie and the `vote` cookie — so the ratio of accepted votes/s shows what the framework and
 * the observability cost. It reads no cookie (the bench sends none). GET /ready answers when
 * Redis does (the bench waits on it). A benchmark tool, not a service.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { encodeQueueItem, newQueueItem } from '@voting-mixin/reference-app/queue-item';
import { Redis } from 'ioredis';
import { type FlagSpecs, parseFlags } from '../../../runtime/index.js';

const FLAGS = {
  port: { kind: 'int', default: 0, min: 0, max: 65_535, help: 'HTTP port' },
  host: { kind: 'string', default: '127.0.0.1', help: 'address to listen on' },
  redisUrl: { kind: 'string', default: 'redis://127.0.0.1:6379', arg: 'URL', help: 'Redis' },
  queue: { kind: 'string', default: 'votes', help: 'list key to LPUSH onto' },
  options: { kind: 'list', default: ['cats', 'dogs'], arg: 'A,B', help: 'the vote options' },
} satisfies FlagSpecs;

const BODY_LIMIT_BYTES = 1024;
const JSON_TYPE = 'application/json; charset=utf-8';
const COOKIE_ATTRS = `Max-Age=${365 * 24 * 3600}; Path=/; HttpOnly; SameSite=Lax`;
const SECRET = randomBytes(32);

/** A new voter: its id and the `voter_id` cookie value, signed as the vote service signs it. */
function issueVoter(): { id: string; cookie: string } {
  const id = randomUUID();
  const mac = createHmac('sha256', SECRET).update('voter_id:v1:').update(id).digest('base64url');
  return { id, cookie: `voter_id=${id}.${mac}; ${COOKIE_ATTRS}` };
}

function send(res: ServerResponse, status: number, body: unknown, cookies?: string[]): void {
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number | string[]> = {
    'Content-Type': JSON_TYPE,
    'Content-Length': Buffer.byteLength(payload),
  };
  if (cookies) headers['Set-Cookie'] = cookies;
  res.writeHead(status, headers);
  res.end(payload);
}

function main(): void {
  const { values: flags } = parseFlags(FLAGS, process.argv.slice(2), {});
  const options = flags.options;
  const redis = new Redis(flags.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1_000,
    enableAutoPipelining: true,
  });
  redis.on('error', () => {});

  const vote = (res: ServerResponse, raw: string): void => {
    let body: unknown;
    // express.json's strict mode: only an object or array is JSON here.
    const first = raw.trimStart()[0];
    try {
      if (first !== '{' && first !== '[') throw new Error('not strict JSON');
      body = JSON.parse(raw);
    } catch {
      send(res, 400, { error: 'malformed request body' });
      return;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      send(res, 400, { error: 'body must be a JSON object with "option"' });
      return;
    }
    const b = body as Record<string, unknown>;
    if (b.voter !== undefined) {
      send(res, 400, { error: 'the voter id comes from the voter cookie, not the body' });
      return;
    }
    if (b.option === undefined || b.option === '') {
      send(res, 400, { error: 'missing field "option"', valid: options });
      return;
    }
    if (typeof b.option !== 'string' || !options.includes(b.option)) {
      send(res, 400, { error: 'unknown option', valid: options });
      return;
    }
    const voter = issueVoter();
    const item = newQueueItem(voter.id, b.option);
    redis.lpush(flags.queue, encodeQueueItem(item)).then(
      () =>
        send(res, 202, { status: 'accepted', id: item.id, voter: item.voter, option: item.option }, [
          voter.cookie,
          `vote=${item.option}; ${COOKIE_ATTRS}`,
        ]),
      () => {
        res.setHeader('Retry-After', '1');
        send(res, 503, { error: 'vote queue unavailable, retry later' });
      },
    );
  };

  const server = createServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (path === '/ready' && req.method === 'GET') {
      redis.ping().then(
        () => send(res, 200, { status: 'ready' }),
        () => send(res, 503, { status: 'not ready' }),
      );
      return;
    }
    if (path !== '/vote') {
      send(res, 404, { error: 'not found' });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      send(res, 405, { error: `method ${req.method} not allowed on /vote` });
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > BODY_LIMIT_BYTES) {
      res.setHeader('Connection', 'close');
      send(res, 413, { error: `body larger than ${BODY_LIMIT_BYTES} bytes` });
      return;
    }
    if (!req.headers['content-type']?.startsWith('application/json')) {
      send(res, 415, { error: 'send application/json' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= BODY_LIMIT_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (size > BODY_LIMIT_BYTES) send(res, 413, { error: `body larger than ${BODY_LIMIT_BYTES} bytes` });
      else vote(res, (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'));
    });
  });
  server.keepAliveTimeout = 5_000;
  server.listen(flags.port, flags.host);
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    redis.disconnect();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
