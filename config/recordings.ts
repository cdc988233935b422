/**
 * Names of the recording rules the mixin generates, typed like catalog metrics so dashboards and
 * alerts can select them with `sel()`. The expressions live in alerts/recording.ts; a test there
 * checks that every entry here has exactly one rule, so a dashboard cannot query a recording
 * rule nobody writes.
 *
 * Naming follows Prometheus's `level:metric:operations` convention.
 */
import { def, type MetricDef } from './metrics.js';

/** The windows the SLO burn-rate alerts use (Google SRE workbook multiwindow, multi-burn-rate). */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];
export type SloKind = 'availability' | 'latency';

export const recordings = {
  jobRouteStatusHttpRequestsRate5m: def({
    name: 'job_route_status:http_requests:rate5m',
    type: 'gauge',
    help: 'Vote service requests per second by job, route and status over 5m.',
    labels: ['job', 'route', 'status'],
    unit: 'reqps',
    sources: ['recording'],
  }),
  jobHttpRequestErrorsRatioRate5m: def({
    name: 'job:http_request_errors:ratio_rate5m',
    type: 'gauge',
    help: 'Share of vote service requests answered 5xx over 5m.',
    labels: ['job'],
    unit: 'percentunit',
    sources: ['recording'],
  }),
  jobHttpRequestDurationSecondsP95Rate5m: def({
    name: 'job:http_request_duration_seconds:p95_rate5m',
    type: 'gauge',
    help: 'Vote service p95 latency over 5m.',
    labels: ['job'],
    unit: 's',
    sources: ['recording'],
  }),
  queueLoadFactorRatio: def({
    name: 'queue:queue_load_factor:ratio',
    type: 'gauge',
    help:
      'Utilisation of the workers serving the queue, 0-1: the share of their time needed to keep pace with the ' +
      'current throughput and to drain the backlog within drainTargetSeconds, i.e. clamp(B * (1 + Q / (D * ' +
      'drainTargetSeconds)) / N, 0, 1) with B the seconds per second spent processing batches ' +
      '(rate of worker_processing_duration_seconds_sum over 5m), D the items dequeued per second, Q the backlog and ' +
      'N the serving workers up. 0 idle, 1 saturated; the autoscaling signal.',
    labels: ['queue'],
    unit: 'percentunit',
    sources: ['recording'],
  }),
  queueWorkerRecommendedReplicas: def({
    name: 'queue:worker_recommended_replicas:count',
    type: 'gauge',
    help:
      'Workers the scaling policy recommends now: ceil(N * load / scaleUpThreshold) when the load factor is above ' +
      'scaleUpThreshold or below scaleDownThreshold, N (the serving workers up) between them, clamped to ' +
      '[minWorkers, maxWorkers]. Not stabilised: scale on queue:worker_desired_replicas:count.',
    labels: ['queue'],
    unit: 'short',
    sources: ['recording'],
  }),
  queueWorkerDesiredReplicas: def({
    name: 'queue:worker_desired_replicas:count',
    type: 'gauge',
    help:
      'Workers to run: the highest recommendation over the stabilisation window, so a scale-up is followed at once ' +
      'and a scale-down only once the lower count has held for the whole window. What KEDA and the HPA scale on.',
    labels: ['queue'],
    unit: 'short',
    sources: ['recording'],
  }),
  systemVotingHealthScore: def({
    name: 'system:voting_health:score',
    type: 'gauge',
    help: 'Overall health 0-100 (vote availability, latency, queue backlog, worker and Redis up).',
    labels: [],
    unit: 'short',
    sources: ['recording'],
  }),
} as const;

export type Recordings = typeof recordings;

/** `job:slo_<kind>_errors:ratio_rate<window>` — the error ratio of one SLO over one window. */
export function sloErrorRatio(kind: SloKind, window: SloWindow): MetricDef<string, 'gauge', 'job'> {
  return {
    name: `job:slo_${kind}_errors:ratio_rate${window}`,
    type: 'gauge',
    help: `Share of vote requests that broke the ${kind} SLO over ${window}.`,
    labels: ['job'],
    unit: 'percentunit',
    sources: ['recording'],
  };
}

/** Every recording rule name, SLO ratios included. */
export function allRecordings(): MetricDef[] {
  const slo = (['availability', 'latency'] as const).flatMap((k) => SLO_WINDOWS.map((w) => sloErrorRatio(k, w)));
  return [...Object.values(recordings), ...slo];
}
