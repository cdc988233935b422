/** Minimal Cookie header parsing: the two cookies the page uses, nothing else needed. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      // A malformed escape is the client's problem; ignore that cookie rather than fail the request.
    }
  }
  return out;
}

export const VOTER_COOKIE = 'voter_id';
export const VOTE_COOKIE = 'vote';
export const COOKIE_OPTS = { httpOnly: true, sameSite: 'lax' as const, path: '/', maxAge: 365 * 24 * 3600 * 1000 };

const setCookieCache = new Map<string, string>();
let setCookieSecond = 0;

/**
 * The Set-Cookie value express's `res.cookie(name, value, COOKIE_OPTS)` would send (same attributes,
 * Expires included), cached per (name, value) for the current second: every accepted vote sets the
 * `vote` cookie, and serialising it anew is a measurable share of the hot path. Values are few (the
 * options), and the cache is emptied every second, so it stays small.
 */
export function setCookieValue(name: string, value: string, nowMs = Date.now()): string {
  const second = Math.floor(nowMs / 1000);
  if (second !== setCookieSecond) {
    setCookieCache.clear();
    setCookieSecond = second;
  }
  const key = `${name}=${value}`;
  let v = setCookieCache.get(key);
  if (v === undefined) {
    // Attribute order and spelling as express 5's res.cookie (cookie@0.7 serialize) writes them.
    const expires = new Date(second * 1000 + COOKIE_OPTS.maxAge).toUTCString();
    v = `${name}=${encodeURIComponent(value)}; Max-Age=${COOKIE_OPTS.maxAge / 1000}; Path=${COOKIE_OPTS.path}; Expires=${expires}; HttpOnly; SameSite=Lax`;
    if (setCookieCache.size < 64) setCookieCache.set(key, v);
  }
  return v;
}

/** The Expires date of a cookie set during `second`, kept for that second (one Date per second, not per vote). */
let expiresSecond = Number.NaN;
let expiresText = '';
function expiresAt(second: number): string {
  if (second !== expiresSecond) {
    expiresText = new Date(second * 1000 + COOKIE_OPTS.maxAge).toUTCString();
    expiresSecond = second;
  }
  return expiresText;
}

/**
 * `Set-Cookie` for the signed voter id (voter-cookie.ts): HttpOnly, SameSite=Lax, Path=/, one
 * year, and Secure when the request came over https (told by the socket, or by X-Forwarded-Proto
 * only with --behind-proxy). Not cached (every value is a different voter), only its Expires date:
 * every cookieless vote issues one, and formatting the date was a visible share of the hot path.
 */
export function voterSetCookie(value: string, secure: boolean, nowMs = Date.now()): string {
  const expires = expiresAt(Math.floor(nowMs / 1000));
  return `${VOTER_COOKIE}=${value}; Max-Age=${COOKIE_OPTS.maxAge / 1000}; Path=/; Expires=${expires}; HttpOnly; ${secure ? 'Secure; ' : ''}SameSite=Lax`;
}
