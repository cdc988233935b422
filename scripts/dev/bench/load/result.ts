/** What one load run measured: accepted votes per second, errors and latency percentiles (ms). */
export interface LoadResult {
  rps: number;
  accepted: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  /** Every latency (ms), sorted; closed loop only, to merge rounds (mergeRuns). */
  latencies?: Float64Array;
}
