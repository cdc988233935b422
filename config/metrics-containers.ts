/**
 * Container CPU, memory and restarts as cAdvisor exposes them (Docker Compose). Part of the metric
 * catalog: spread into `metrics` (config/metrics.ts). These series exist only where cAdvisor runs.
 *
 * Labels are cAdvisor's for a Docker container: `id` (the cgroup path), `name` (the container name,
 * `<project>-<service>-<n>` under Compose), `image`, and every Docker label of the container as
 * `container_label_<label with . and - as _>` — Compose sets `com.docker.compose.service`,
 * `.project` and `.container-number`. The cgroup hierarchy itself (`id="/"`, `/system.slice`, …)
 * has series without a name or those labels: the panels select the Compose service label, so
 * they show containers only.
 *
 * cAdvisor has no restart counter (upstream dropped `restart_count`, google/cadvisor#1312), and
 * `container_start_time_seconds` keeps the container's first start across restarts in place
 * (#2169). What a restart does change is the series: Docker's restart policy bumps the
 * container's RestartCount, which cAdvisor adds as the `container_label_restartcount` label (from
 * the first restart on, #3584), and a `docker compose up` that recreates it gives a new `id`.
 * So restarts are counted as the extra series one container name had over the range.
 */
import { type CatalogMetric, def, type Unit } from './metric-def.js';

/** Why these series may be missing: verify reports their absence as info, not an error. */
export const CADVISOR_ONLY = 'cAdvisor runs (Docker Compose)';

/** The Docker label Compose puts on every container of a service, as cAdvisor names it. */
export const COMPOSE_SERVICE_LABEL = 'container_label_com_docker_compose_service';

const CONTAINER = [
  'id',
  'name',
  'image',
  COMPOSE_SERVICE_LABEL,
  'container_label_com_docker_compose_project',
  'container_label_com_docker_compose_container_number',
  // Only on a container Docker restarted in place (RestartCount > 0).
  'container_label_restartcount',
] as const;

function c<const N extends string, const T extends 'gauge' | 'counter', const L extends string>(
  name: N,
  type: T,
  help: string,
  unit: Unit,
  labels: readonly L[],
): CatalogMetric<N, T, L> {
  return def({ name, type, help, unit, labels, sources: ['cadvisor'], onlyWhen: CADVISOR_ONLY });
}

export const containerMetrics = {
  containerCpuUsageSecondsTotal: c(
    'container_cpu_usage_seconds_total',
    'counter',
    'CPU time the container used, user and system (cAdvisor; `cpu` is "total" unless per-CPU stats are enabled).',
    's',
    [...CONTAINER, 'cpu'],
  ),
  containerMemoryWorkingSetBytes: c(
    'container_memory_working_set_bytes',
    'gauge',
    'Memory the container uses that the kernel cannot reclaim easily (usage minus inactive file cache): what the OOM killer and a memory limit compare against.',
    'bytes',
    CONTAINER,
  ),
  containerStartTimeSeconds: c(
    'container_start_time_seconds',
    'gauge',
    'Unix time cAdvisor saw the container start; one series per container id and restart count (see the file comment on restarts).',
    'dateTimeAsIso',
    CONTAINER,
  ),
} as const;
