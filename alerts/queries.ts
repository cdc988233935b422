/**
 * PromQL shared by alerts, recording rules and runbooks, built from catalog entries and config
 * selectors only. One function per quantity so an alert and the recording rule a dashboard uses
 * can never disagree on what "error ratio" means.
 */

import { NON_USER_ROUTES, SERVER_ERROR } from '../config/matchers.js';
import { metrics as m } from '../config/metrics.js';
import type { MixinConfig, QueueConfig } from '../config/mixin-config.js';
import { agg, bucketSel, countSel, type Duration, histogramQuantile, rate, sel } from '../config/promql.js';
import { orZero } from '../dashboards/queries.js';

export { NON_USER_ROUTES, SERVER_ERROR };

export function voteRequestRate(
  cfg: MixinConfig,
  window: Duration,
  extra: { status?: typeof SERVER_ERROR } = {},
): string {
  return agg(
    'sum',
    m.httpRequestsTotal,
    ['job'],
    rate(sel(m.httpRequestsTotal, { route: NON_USER_ROUTES, ...extra }, cfg.selectors.vote), window),
  );
}

/**
 * Share of user requests answered 5xx, by job; 0 for a job that serves requests but has never
 * answered 5xx (it has no 5xx series to divide), nothing for a job without requests at all. So
 * the recording rules and the overview read 0 on a healthy service, and `> threshold` compares as
 * before. Parenthesised: safe to compare or combine.
 */
export function voteErrorRatio(cfg: MixinConfig, window: Duration): string {
  const all = voteRequestRate(cfg, window);
  return orZero(`${voteRequestRate(cfg, window, { status: SERVER_ERROR })} / ${all}`, all);
}

/**
 * Share of user requests slower than the latency SLO threshold, by job. No zero fallback needed:
 * the `le` bucket and the count come from the same histogram, so both exist as soon as it does;
 * a threshold that is no bucket boundary stays empty rather than reading 0 (every request fast).
 */
export function voteSlowRatio(cfg: MixinConfig, window: Duration): string {
  const h = m.httpRequestDurationSeconds;
  const scope = cfg.selectors.vote;
  const fast = agg(
    'sum',
    h,
    ['job'],
    rate(bucketSel(h, { route: NON_USER_ROUTES, le: String(cfg.slo.latency.thresholdSeconds) }, scope), window),
  );
  const all = agg('sum', h, ['job'], rate(countSel(h, { route: NON_USER_ROUTES }, scope), window));
  return `1 - (${fast} / ${all})`;
}

/** p95 latency of user requests by job. */
export function voteP95(cfg: MixinConfig, window: Duration): string {
  return histogramQuantile(0.95, m.httpRequestDurationSeconds, {
    matchers: { route: NON_USER_ROUTES },
    scope: cfg.selectors.vote,
    by: ['job'],
    window,
  });
}

export const queueMatch = (q: QueueConfig) => ({ queue: q.name });

/** Waiting items of one queue (summed over the keys a pattern matches), by job and queue or by `by`. */
export function queueLength(
  cfg: MixinConfig,
  q: QueueConfig,
  by: ReadonlyArray<'job' | 'queue'> = ['job', 'queue'],
): string {
  return agg('sum', m.redisQueueLength, by, sel(m.redisQueueLength, queueMatch(q), cfg.selectors.exporter));
}

export function enqueueRate(cfg: MixinConfig, q: QueueConfig, window: Duration): string {
  return agg(
    'sum',
    m.queueEnqueuedTotal,
    ['queue'],
    rate(sel(m.queueEnqueuedTotal, queueMatch(q), cfg.selectors.vote), window),
  );
}

export function dequeueRate(cfg: MixinConfig, q: QueueConfig, window: Duration): string {
  return agg(
    'sum',
    m.queueDequeuedTotal,
    ['queue'],
    rate(sel(m.queueDequeuedTotal, queueMatch(q), cfg.selectors.worker), window),
  );
}
