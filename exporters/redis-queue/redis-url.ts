/**
 * Redis address handling: URL (redis://, rediss:// or host:port) + ACL user + password (from the URL,
 * a file or the environment) → ioredis options, and a display form with the password masked.
 * The password must never reach logs, metrics or error messages, so every error built here is made
 * from the masked form, and the runtime's `redactSecrets()` is applied to anything from ioredis
 * before it is logged.
 */
import type { ConnectionOptions } from 'node:tls';
import type { RedisOptions } from 'ioredis';
import { MASK, maskUrls, secretForms, UsageError } from 'voting-mixin/runtime';

/** A Redis address that cannot be used: a usage mistake (exit 2), with any password masked. */
export class RedisUrlError extends UsageError {
  override name = 'RedisUrlError';
}

export interface Credentials {
  username?: string | undefined;
  password?: string | undefined;
}

export interface RedisTarget {
  options: RedisOptions;
  /** The address with any password replaced by `***`: safe to log and to show. */
  display: string;
  /** Strings that must never be printed (the password in raw and URL-encoded form). */
  secrets: string[];
}

/**
 * Parses a Redis address. Credentials in the URL win over `fallback` (flags, file, env), as with
 * redis-cli. TLS is on for rediss:// and when `tls` is given.
 * @throws RedisUrlError with the address masked.
 */
export function redisTarget(address: string, fallback: Credentials = {}, tls?: ConnectionOptions): RedisTarget {
  const raw = address.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `redis://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RedisUrlError(
      `invalid Redis address "${maskUrls(raw)}": expected redis://[user[:password]@]host[:port][/db], rediss://… or host:port`,
    );
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisUrlError(
      `invalid Redis address "${maskUrls(raw)}": scheme must be redis:// or rediss:// (got ${url.protocol}//)`,
    );
  }
  if (!url.hostname) throw new RedisUrlError(`invalid Redis address "${maskUrls(raw)}": no host`);
  const port = url.port ? Number(url.port) : 6379;
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) {
    throw new RedisUrlError(`invalid Redis address "${maskUrls(raw)}": database must be a number (got "/${dbText}")`);
  }
  const username = url.username ? decodeURIComponent(url.username) : fallback.username;
  const password = url.password ? decodeURIComponent(url.password) : fallback.password;
  const useTls = url.protocol === 'rediss:' || tls !== undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: RedisOptions = {
    host,
    port,
    db: dbText ? Number(dbText) : 0,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(useTls ? { tls: { servername: host, ...tls } } : {}),
  };
  const userPart = username
    ? `${encodeURIComponent(username)}${password ? `:${MASK}` : ''}@`
    : password
      ? `:${MASK}@`
      : '';
  const display = `${useTls ? 'rediss' : 'redis'}://${userPart}${url.host}${dbText ? `/${dbText}` : ''}`;
  return { options, display, secrets: secretForms(password) };
}
