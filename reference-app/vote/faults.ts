/**
 * Fault injection for the alert tests: a share of requests fails with 500 and/or is delayed.
 * Only reachable through /admin/faults, which exists only with --enable-admin.
 */
import type { RequestHandler } from 'express';
import { sleep } from '../shared/backoff.js';

export interface VoteFaults {
  errorRate: number;
  latencyMs: number;
  latencyRate: number;
}

export const noFaults = (): VoteFaults => ({ errorRate: 0, latencyMs: 0, latencyRate: 0 });

/** Validates a POST /admin/faults body; returns an error message or the merged settings. */
export function parseFaults(body: unknown, current: VoteFaults): VoteFaults | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'expected a JSON object';
  const next = { ...current };
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (!(k in next)) return `unknown field "${k}"; valid: errorRate, latencyMs, latencyRate`;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `${k} must be a non-negative number`;
    if (k !== 'latencyMs' && v > 1) return `${k} must be between 0 and 1`;
    if (k === 'latencyMs' && v > 60_000) return 'latencyMs must be at most 60000';
    next[k as keyof VoteFaults] = v;
  }
  return next;
}

export function injectFaults(faults: VoteFaults, random: () => number = Math.random): RequestHandler {
  const inject = async (res: Parameters<RequestHandler>[1], next: () => void): Promise<void> => {
    if (faults.latencyMs > 0 && random() < faults.latencyRate) await sleep(faults.latencyMs);
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      res.status(500).json({ error: 'injected fault' });
      return;
    }
    next();
  };
  // Synchronous while no fault is set (always, in production): an async middleware costs every
  // request a promise that express then has to await.
  return (_req, res, next) => {
    if (faults.latencyMs === 0 && faults.errorRate === 0) {
      next();
      return;
    }
    return inject(res, next);
  };
}
