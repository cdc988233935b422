/**
 * Cross-site form posts refused (CSRF): a page on another site can make a browser POST the vote
 * form with the voter's cookie (SameSite=Lax stops that for cross-site POSTs in current browsers,
 * but not for a sibling subdomain, nor in older browsers). Browsers say where a request comes
 * from; a request whose `Sec-Fetch-Site` is `cross-site`, or whose `Origin` (absent that, its
 * `Referer`) names another host than the one it was sent to, is refused. A request with neither
 * (curl, load tools, server-side clients) is allowed: no browser sent it, so no voter's cookie
 * rides along without the sender holding it. A JSON POST from another site needs a CORS preflight,
 * which this service never grants, so only forms (urlencoded, which need none) really depend on
 * this check; it is applied to both.
 */

/** The host part of `scheme://host[:port][/...]`, the scheme's default port dropped; undefined if none. */
function hostOf(url: string): { scheme: string; host: string } | undefined {
  const sep = url.indexOf('://');
  if (sep <= 0) return undefined;
  const scheme = url.slice(0, sep).toLowerCase();
  let end = url.indexOf('/', sep + 3);
  if (end === -1) end = url.length;
  const q = url.indexOf('?', sep + 3);
  if (q !== -1 && q < end) end = q;
  return { scheme, host: withoutDefaultPort(url.slice(sep + 3, end).toLowerCase(), scheme) };
}

function withoutDefaultPort(host: string, scheme: string): string {
  if (scheme === 'http' && host.endsWith(':80')) return host.slice(0, -3);
  if (scheme === 'https' && host.endsWith(':443')) return host.slice(0, -4);
  return host;
}

/**
 * Why a POST is refused as cross-site, or undefined when it is allowed. `host` is the request's
 * Host (X-Forwarded-Host only when the service trusts its proxy).
 */
export function crossSiteReason(
  headers: { origin?: string | undefined; referer?: string | undefined; 'sec-fetch-site'?: string | undefined },
  host: string | undefined,
): string | undefined {
  if (headers['sec-fetch-site'] === 'cross-site') return 'Sec-Fetch-Site: cross-site';
  const origin = headers.origin;
  const source = origin !== undefined ? origin : headers.referer;
  if (source === undefined) return undefined;
  // `Origin: null` (a sandboxed frame, a file: page, a cross-site redirect) is never this site.
  const from = hostOf(source);
  if (!from || !host) return `${origin !== undefined ? 'Origin' : 'Referer'} is not this site`;
  if (from.host !== withoutDefaultPort(host.toLowerCase(), from.scheme)) {
    return `${origin !== undefined ? 'Origin' : 'Referer'} is not this site`;
  }
  return undefined;
}
