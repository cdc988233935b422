/**
 * The checks every POST /vote passes before its body is read, shared by the express route and the
 * fast path (fast-vote.ts) so the two cannot drift: a cross-site post is refused (403), a voter
 * cookie we did not sign is refused and replaced by a fresh voter id (403: the refused vote counts
 * for nobody; a browser holding a cookie of a lost secret votes on its next try), and a client over
 * its rate is refused (429 + Retry-After). What passes is the voter cookie: none (a new voter) or
 * one we signed.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type RateLimiter, tokenBuckets } from './rate-limit.js';
import { crossSiteReason } from './same-origin.js';
import type { VoterCookie, VoterSigner } from './voter-cookie.js';

export interface VoteRateLimits {
  /** Votes per second per voter (signed cookie), bursts of twice that; 0 or absent = no limit. */
  perVoter?: number;
  /** Cookieless votes (each a new voter) per second per client address, bursts of twice that; 0 = none. */
  perAddress?: number;
}

export interface Refusal {
  kind: 'refused';
  status: 403 | 429;
  body: { error: string };
  /** A fresh voter cookie value to send (the caller knows whether it is Secure). */
  setVoter?: string;
  retryAfter?: string;
}

export interface VoteGuard {
  /** Whether `check` needs the client address (only when addresses are rate-limited). */
  readonly usesAddress: boolean;
  /** `host`: the request's Host (X-Forwarded-Host only behind a trusted proxy). */
  check(headers: IncomingHttpHeaders, host: string | undefined, address: string | undefined): VoterCookie | Refusal;
  /**
   * Whether a page view from `address` may be handed a new voter id: new ids count against the
   * per-address limit wherever they are issued, or `GET /` → cookie → vote would bypass it.
   */
  mayIssue(address: string | undefined): boolean;
}

const buckets = (rate: number | undefined): RateLimiter | undefined =>
  rate ? tokenBuckets(rate, Math.max(1, Math.ceil(rate * 2))) : undefined;

export function voteGuard(signer: VoterSigner, limits: VoteRateLimits = {}, onLimited?: () => void): VoteGuard {
  const perVoter = buckets(limits.perVoter);
  const perAddress = buckets(limits.perAddress);
  return {
    usesAddress: perAddress !== undefined,
    mayIssue(address) {
      return !perAddress || address === undefined || perAddress.take(address, Date.now()) === 0;
    },
    check(h, host, address) {
      if (h.origin !== undefined || h.referer !== undefined || h['sec-fetch-site'] !== undefined) {
        const why = crossSiteReason(h, host);
        if (why !== undefined)
          return { kind: 'refused', status: 403, body: { error: `cross-site vote refused (${why})` } };
      }
      const cookie = signer.read(h.cookie);
      if (cookie.kind === 'invalid') {
        return {
          kind: 'refused',
          status: 403,
          body: { error: 'invalid voter cookie: a new voter id was set, vote again' },
          setVoter: signer.issue().value,
        };
      }
      let wait = 0;
      if (cookie.kind === 'valid') {
        if (perVoter) wait = perVoter.take(cookie.id, Date.now());
      } else if (perAddress && address !== undefined) {
        wait = perAddress.take(address, Date.now());
      }
      if (wait > 0) {
        onLimited?.();
        return {
          kind: 'refused',
          status: 429,
          body: { error: `too many votes from this client: retry in ${wait} s` },
          retryAfter: String(wait),
        };
      }
      return cookie;
    },
  };
}
