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
