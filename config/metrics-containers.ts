/**
 * Container CPU, memory and restarts as cAdvisor exposes them (Docker Compose). Part of the metric
 * catalog: spread into `metrics` (config/metrics.ts). These series exist only where cAdvisor runs.
 */
export const containerMetrics = {} as const;
