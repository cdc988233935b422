// voting-mixin/instrument's HTTP middleware on real express 5, the way teams mount routers: the
// route label must be the template in every case a team will meet (nested and parametrised
// mounts, an error handled at the app level after its router was left, a client that hangs up),
// and never the raw path.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpMetrics, httpMiddleware, routePrefix } from 'voting-mixin/instrument';

const registry = new Registry();
const app = express();
app.use(httpMiddleware({ metrics: httpMetrics(registry), maxRoutes: 10 }));
app.get('/items/:id', (_req, res) => void res.send('ok'));
const api = express.Router();
api.get('/things/:thing', (_req, res) => void res.send('ok'));
api.get('/boom/:n', () => {
  throw new Error('boom');
});
const v2 = express.Router();
v2.get('/deep/:x', (_req, res) => void res.send('ok'));
api.use('/v2', v2);
app.use('/api', api);
const posts = express.Router();
posts.get('/posts/:pid', (_req, res) => void res.send('ok'));
const comments = express.Router();
comments.get('/:pid/comments', (_req, res) => void res.send('ok'));
posts.use('/p', comments);
app.use('/users/:uid', routePrefix('/users/:uid'), posts);
// A route outside the router that declared the prefix, on the same path: the prefix must not leak.
app.get('/users/:uid/profile', (_req, res) => void res.send('ok'));
app.get('/slow', (_req, res) => void setTimeout(() => res.send('late'), 300));
for (let i = 0; i < 12; i++) app.get(`/many-${i}`, (_req, res) => void res.send('ok'));
const onError: ErrorRequestHandler = (_err, _req, res, _next) => void res.status(500).send('error');
app.use(onError);

let base = '';
let server: ReturnType<typeof app.listen>;
beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const count = async (labels: string): Promise<number> => {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`http_requests_total{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('httpMiddleware on express', () => {
  it('labels nested, parametrised and failing routes by their templates', async () => {
    for (const p of [
      '/items/1',
      '/api/things/a',
      '/api/v2/deep/z',
      '/users/7/posts/9',
      '/users/8/posts/1',
      '/users/8/p/5/comments',
      '/users/9/profile',
      '/api/boom/3',
    ]) {
      await (await fetch(base + p)).text();
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(await count('method="GET",route="/items/:id",status="200"')).toBe(1);
    expect(await count('method="GET",route="/api/things/:thing",status="200"')).toBe(1);
    expect(await count('method="GET",route="/api/v2/deep/:x",status="200"')).toBe(1);
    expect(await count('method="GET",route="/users/:uid/posts/:pid",status="200"')).toBe(2);
    expect(await count('method="GET",route="/users/:uid/p/:pid/comments",status="200"')).toBe(1);
    expect(await count('method="GET",route="/users/:uid/profile",status="200"')).toBe(1);
    // The error was handled at the app level, after express left the /api router.
    expect(await count('method="GET",route="/api/boom/:n",status="500"')).toBe(1);
    expect(await registry.metrics()).not.toMatch(/route="[^"]*\/(7|8|1|9|3|a|z)(\/|")/);
  });

  it('counts a request the client abandoned as 499, not as the 200 it never got', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${base}/slow`);
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(await count('method="GET",route="/slow",status="499"')).toBe(1);
    expect(await count('method="GET",route="/slow",status="200"')).toBe(0);
  });

  it('stops making new route series past maxRoutes', async () => {
    for (let i = 0; i < 12; i++) await (await fetch(`${base}/many-${i}`)).text();
    await new Promise((r) => setTimeout(r, 20));
    const routes = new Set(
      [...(await registry.metrics()).matchAll(/http_requests_total\{[^}]*route="([^"]+)"/g)].map((m) => m[1]),
    );
    expect(routes.size).toBeLessThanOrEqual(11); // 10 templates + `other`
    expect(routes.has('other')).toBe(true);
  });
});
