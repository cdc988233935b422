import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKIE_OPTS, setCookieValue, VOTE_COOKIE, voterSetCookie } from './cookies.js';

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

describe('voterSetCookie', () => {
  it('dates Expires one year after the second it is set in, whichever seconds come in turn', () => {
    const t = Date.UTC(2030, 0, 1, 0, 0, 0);
    for (const [at, expires] of [
      [t + 999, 'Wed, 01 Jan 2031 00:00:00 GMT'],
      [t + 1_000, 'Wed, 01 Jan 2031 00:00:01 GMT'],
      [t, 'Wed, 01 Jan 2031 00:00:00 GMT'],
      [t + 86_400_000, 'Thu, 02 Jan 2031 00:00:00 GMT'],
    ] as const) {
      expect(voterSetCookie('id.mac', false, at)).toBe(
        `voter_id=id.mac; Max-Age=31536000; Path=/; Expires=${expires}; HttpOnly; SameSite=Lax`,
      );
    }
    expect(voterSetCookie('id.mac', true, t)).toContain('; HttpOnly; Secure; SameSite=Lax');
  });
});
