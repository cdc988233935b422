/**
 * The one place secrets are hidden before anything is printed, logged or exposed: connection URLs
 * (Redis, PostgreSQL, Prometheus), free text that may contain them (driver error messages), and
 * known secret values (a password read from a file).
 */
export const MASK = '***';

/** Query parameters whose values are credentials (`?token=`, `?api_key=`, `?password=`). */
const SECRET_PARAM = /token|key|secret|pass|auth/i;

/**
 * `redis://user:secret@h:6379/0` → `redis://user:***@h:6379/0`. An http(s) user without a password
 * is a token (`https://TOKEN@host`) and is masked too; a database user name alone is not secret.
 * Credential-like query parameters are masked. Text that is not a URL is masked as free text.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return maskUrls(url);
  }
  if (!u.host) return maskUrls(url);
  if (u.password) u.password = MASK;
  else if (u.username && /^https?:$/.test(u.protocol)) u.username = MASK;
  for (const k of [...u.searchParams.keys()]) if (SECRET_PARAM.test(k)) u.searchParams.set(k, MASK);
  return u.toString();
}

/**
 * Masks what looks like a credential in text we did not parse ourselves (a URL that does not
 * parse, a driver's error message): `//user:password@` up to the LAST `@` of the authority (a
 * password may contain `@`), `user:password@host` without a scheme, and credential-like query
 * parameters (`?password=`, `&token=`).
 */
export function maskUrls(text: string): string {
  return text
    .replace(/(\/\/[^/@\s:[]*):[^\s/]*@/g, `$1:${MASK}@`)
    .replace(/(^|[\s"'(=,<])([^\s:/@"'(=,<]+):(?!\/\/)[^\s/"']*@(?=[^\s@/"']+)/g, `$1$2:${MASK}@`)
    .replace(/([?&][^=&\s#"']*(?:token|key|secret|pass|auth)[^=&\s#"']*)=[^&\s#"']*/gi, `$1=${MASK}`);
}

/** Every form a secret may take in text: as is and URL-encoded. */
export function secretForms(secret: string | undefined): string[] {
  if (!secret) return [];
  const enc = encodeURIComponent(secret);
  return enc === secret ? [secret] : [secret, enc];
}

/** Replaces every given secret (and its URL-encoded form) in `text`. */
export function replaceSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) for (const form of secretForms(s)) out = out.split(form).join(MASK);
  return out;
}

/** Replaces URL passwords and every given secret (and its URL-encoded form) in `text`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return replaceSecrets(maskUrls(text), secrets);
}
