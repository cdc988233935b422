// The HTTP RED middleware on a bare node:http server (no framework), the way a team's own service
// might mount it: the route label is the template a route declared, never the raw path.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HttpObservation,
  httpMetrics,
  httpMiddleware,
  nameRoute,
  routeTemplate,
  UNMATCHED_ROUTE,
} from './http.js';

type Req = IncomingMessage & { route?: { path: string } };
type Res = ServerResponse & { locals?: Record<string, unknown> };

const registry = new Registry();
const seen: HttpObservation[] = [];
const mw = httpMiddleware<Req, Res>({ metrics: httpMetrics(registry), onResponse: (_q, _s, o) => seen.push(o) });
const server = createServer((req: Req, res: Res) => {
  mw(req, res, () => {
    const m = /^\/items\/(\d+)$/.exec(req.url ?? '');
    if (m) {
      nameRoute(req, '/items/:id');
      res.end(m[1]);
    } else if (req.url === '/refused') {
      res.locals = { route: '/upload' };
      res.writeHead(413).end();
    } else res.writeHead(404).end();
  });
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('httpMiddleware', () => {
  it('labels by route template, status and method; unknown paths share one series', async () => {
    for (const p of ['/items/1', '/items/2', '/refused', '/random-1', '/random-2'])
      await (await fetch(base + p)).text();
    await new Promise((r) => setTimeout(r, 20));
    const text = await registry.metrics();
    expect(text).toContain('http_requests_total{method="GET",route="/items/:id",status="200"} 2');
    expect(text).toContain('http_requests_total{method="GET",route="/upload",status="413"} 1');
    expect(text).toContain(`http_requests_total{method="GET",route="${UNMATCHED_ROUTE}",status="404"} 2`);
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/items/:id",status="200"} 2');
    expect(text).toContain('http_requests_in_flight 0');
    expect(text).not.toContain('/items/1');
    expect(seen.map((o) => o.route)).toEqual(['/items/:id', '/items/:id', '/upload', 'unmatched', 'unmatched']);
  });

  it('joins an express mount path and route, and names an array route by its alternatives', () => {
    const res = { statusCode: 200, once: () => undefined };
    expect(routeTemplate({ baseUrl: '/api', route: { path: '/items/:id' } }, res)).toBe('/api/items/:id');
    expect(routeTemplate({ route: { path: ['/a', '/b'] } }, res)).toBe('/a|/b');
    expect(routeTemplate({}, res)).toBe(UNMATCHED_ROUTE);
  });
});
