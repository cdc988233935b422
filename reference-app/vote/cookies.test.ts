import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKIE_OPTS, setCookieValue, VOTE_COOKIE } from './cookies.js';

describe('setCookieValue', () => {
  let base = '';
  let close = (): void => {};
  beforeAll(async () => {
    const app = express();
    app.get('/', (req, res) => void res.cookie(VOTE_COOKIE, String(req.query.v), COOKIE_OPTS).end());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => void server.close();
  });
  afterAll(() => close());

  it('sends exactly what express res.cookie sends for the same second', async () => {
    for (const value of ['cats', 'dogs', 'a b;c']) {
      // Retry across a second boundary: Expires has one-second resolution.
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = Date.now();
        const header = (await fetch(`${base}/?v=${encodeURIComponent(value)}`)).headers.get('set-cookie');
        if (Math.floor(Date.now() / 1000) !== Math.floor(before / 1000)) continue;
        expect(setCookieValue(VOTE_COOKIE, value, before)).toBe(header);
        break;
      }
    }
  });

  it('moves Expires on with the clock', () => {
    const t = Date.UTC(2030, 0, 1, 0, 0, 0);
    expect(setCookieValue('vote', 'cats', t)).toContain('Expires=Wed, 01 Jan 2031 00:00:00 GMT');
    expect(setCookieValue('vote', 'cats', t + 5_000)).toContain('Expires=Wed, 01 Jan 2031 00:00:05 GMT');
  });
});
