/**
 * The voter id a client cannot forge: the vote service issues it in a signed cookie
 * `voter_id=<uuid>.<base64url HMAC-SHA256(secret, "voter_id:v1:" + uuid)>` and trusts nothing
 * else (never a body field). Several secrets may be configured, the first signs: a cookie signed
 * with an older one is still accepted and re-issued signed with the first (rotation without
 * losing voters). The secrets never leave this module: not logged, not in errors, not in metrics.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { UsageError } from 'voting-mixin/runtime';

export const VOTER_COOKIE_NAME = 'voter_id';
/** Domain separation: a MAC made for another purpose with the same secret is not a voter cookie. */
const CONTEXT = 'voter_id:v1:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC_CHARS = 43; // 32 bytes in unpadded base64url
const MIN_SECRET_CHARS = 16;
/** Verified cookie values remembered, so a returning voter costs a Map lookup, not an HMAC. */
const CACHE_MAX = 10_000;

/** What a request's voter cookie says. */
export type VoterCookie =
  /** No voter cookie: a new voter. */
  | { kind: 'none' }
  /** Signed by us; `resign` when it was signed with an older secret and must be re-issued. */
  | { kind: 'valid'; id: string; resign: boolean }
  /** Present but not ours (bad MAC, unknown format): never trusted, never its id. */
  | { kind: 'invalid' };

const NONE: VoterCookie = { kind: 'none' };
const INVALID: VoterCookie = { kind: 'invalid' };

/**
 * Secrets from COOKIE_SECRET or the --cookie-secret-file content: one per line or
 * comma-separated, the first is current. @throws UsageError naming `source`, never the secret.
 */
export function parseSecrets(text: string, source: string): string[] {
  const secrets = text
    .split(/[\r\n,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
  if (secrets.length === 0) throw new UsageError(`${source}: no secret in it`);
  if (secrets.some((s) => s.length < MIN_SECRET_CHARS)) {
    throw new UsageError(`${source}: every secret must be at least ${MIN_SECRET_CHARS} characters`);
  }
  return secrets;
}

/** A random secret for a process started without one (cookies then die with the process). */
export const randomSecret = (): string => randomBytes(32).toString('base64url');

export interface VoterSigner {
  /** A new voter: its id and the signed cookie value. */
  issue(): { id: string; value: string };
  /** The cookie value for `id`, signed with the current secret. */
  sign(id: string): string;
  /** Reads the voter cookie out of a Cookie header. At most one HMAC per secret, none on a cache hit. */
  read(cookieHeader: string | undefined): VoterCookie;
}

export function voterSigner(secrets: readonly string[]): VoterSigner {
  if (secrets.length === 0) throw new Error('voterSigner needs at least one secret');
  const keys = secrets.map((s) => Buffer.from(s, 'utf8'));
  const mac = (key: Buffer, id: string): Buffer => createHmac('sha256', key).update(CONTEXT).update(id).digest();
  // Map keeps insertion order: deleting the first key evicts the oldest. Only values WE signed
  // get in, so a stream of forged cookies cannot evict anyone (each costs its sender an HMAC miss).
  const verified = new Map<string, string>();
  const remember = (value: string, id: string): void => {
    if (verified.size >= CACHE_MAX) verified.delete(verified.keys().next().value!);
    verified.set(value, id);
  };
  const sign = (id: string): string => {
    const value = `${id}.${mac(keys[0]!, id).toString('base64url')}`;
    remember(value, id);
    return value;
  };
  const verify = (value: string): VoterCookie => {
    const cached = verified.get(value);
    if (cached !== undefined) return { kind: 'valid', id: cached, resign: false };
    const dot = value.indexOf('.');
    if (dot !== 36 || value.length !== 37 + MAC_CHARS) return INVALID;
    const id = value.slice(0, 36);
    if (!UUID.test(id)) return INVALID;
    const given = Buffer.from(value.slice(37), 'base64url');
    // One spelling only: Node also decodes standard base64 and ignores a last character's unused
    // bits, so other strings would pass as the same MAC (not a forgery, but an altered cookie).
    if (given.length !== 32 || given.toString('base64url') !== value.slice(37)) return INVALID;
    for (let i = 0; i < keys.length; i++) {
      // Constant-time: how much of a guessed MAC is right must not show in the answer's timing.
      if (timingSafeEqual(given, mac(keys[i]!, id))) {
        if (i === 0) remember(value, id);
        return { kind: 'valid', id, resign: i > 0 };
      }
    }
    return INVALID;
  };
  return {
    issue() {
      const id = randomUUID();
      return { id, value: sign(id) };
    },
    sign,
    read(header) {
      const value = cookieValue(header, VOTER_COOKIE_NAME);
      if (value === undefined) return NONE;
      // Two voter ids in one request (a cookie tossed in from a sibling domain, or a path-scoped
      // one) are no identity at all: which one a server takes would be the attacker's choice.
      if (cookieValue(header, VOTER_COOKIE_NAME, 2) !== undefined) return INVALID;
      return verify(value);
    },
  };
}

/**
 * The first (or `nth`) `name=value` of a Cookie header, without building an object of every cookie (the
 * POST /vote hot path). A quoted value is unquoted; no percent-decoding: our values never need it,
 * and a value that does is not ours anyway.
 */
export function cookieValue(header: string | undefined, name: string, nth = 1): string | undefined {
  if (!header) return undefined;
  let at = 0;
  let seen = 0;
  while (at < header.length) {
    while (header.charCodeAt(at) === 32) at++;
    const end = header.indexOf(';', at);
    const stop = end === -1 ? header.length : end;
    if (header.startsWith(name, at) && header.charCodeAt(at + name.length) === 61 /* = */ && ++seen === nth) {
      let value = header.slice(at + name.length + 1, stop).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      return value;
    }
    at = stop + 1;
  }
  return undefined;
}
