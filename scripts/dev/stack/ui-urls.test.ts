// Which URL the demo prints for Prometheus and Alertmanager, against stand-ins answering as the
// Debian builds (classic UI only; no Alertmanager UI) and as upstream's (new UI; Elm UI).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { alertmanagerAlertsPage, prometheusAlertsPage } from './ui-urls.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server answering `routes` (path → [status, content type]) and 404 otherwise. */
async function serve(routes: Record<string, [number, string]>): Promise<string> {
  const s = createServer((req, res) => {
    const r = routes[req.url ?? ''];
    if (!r) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    res.writeHead(r[0], { 'content-type': r[1], ...(r[0] === 302 ? { location: '/elsewhere' } : {}) }).end('x');
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const html = 'text/html; charset=utf-8';

describe('the UI URLs the demo prints', () => {
  it('Debian Prometheus 2.42: /alerts is 404, the classic alerts page is printed', async () => {
    const base = await serve({ '/classic/alerts': [200, html], '/graph': [302, html] });
    expect(await prometheusAlertsPage(base)).toMatchObject({ url: `${base}/classic/alerts`, page: true });
  });

  it('upstream Prometheus: /alerts', async () => {
    const base = await serve({ '/alerts': [200, html], '/classic/alerts': [200, html] });
    expect(await prometheusAlertsPage(base)).toMatchObject({ url: `${base}/alerts`, page: true });
  });

  it('a Prometheus without any UI: the alerts API, said so', async () => {
    const base = await serve({});
    const link = await prometheusAlertsPage(base);
    expect(link).toMatchObject({ url: `${base}/api/v1/alerts`, page: false });
    expect(link.note).toContain('no web UI');
  });

  it('Debian Alertmanager 0.25 (a static "no web application" page at /): the v2 API, said so', async () => {
    const base = await serve({ '/': [200, html] });
    const link = await alertmanagerAlertsPage(base);
    expect(link).toMatchObject({ url: `${base}/api/v2/alerts`, page: false });
    expect(link.note).toContain('no web UI');
  });

  it('upstream Alertmanager (its UI script served): /#/alerts', async () => {
    const base = await serve({ '/': [200, html], '/script.js': [200, 'application/javascript'] });
    expect(await alertmanagerAlertsPage(base)).toMatchObject({ url: `${base}/#/alerts`, page: true });
  });
});
