/**
 * Per-container CPU, memory and restarts from cAdvisor, for the overview: a collapsed row, since
 * cAdvisor runs under Docker Compose only. Elsewhere (the demo, a Kubernetes cluster, a plain
 * install) its series do not exist: the row stays folded, and every target is marked mayBeEmpty
 * so `verify` does not report it; its metrics carry `onlyWhen` in the catalog for the same reason.
 *
 * Containers are picked by the Compose service label, which leaves out cAdvisor's cgroup
 * hierarchy (`/`, `/system.slice`…) and anything not started by Compose. Restarts: see
 * config/metrics-containers.ts for why they are counted as extra series per container name.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { metrics as m } from '../config/metrics.js';
import { COMPOSE_SERVICE_LABEL } from '../config/metrics-containers.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { agg, ne, rate, sel } from '../config/promql.js';
import { type Query, row, timeSeries } from './panels.js';
import { varScope } from './scope.js';

export const CONTAINERS_ROW = 'Containers (cAdvisor, Docker Compose)';
/** The mayBeEmpty reason of every target in the row. */
export const NO_CADVISOR = 'cAdvisor runs only under Docker Compose: without it there are no container series';

const COMPOSE = { [COMPOSE_SERVICE_LABEL]: ne('') } as const;
const BY = [COMPOSE_SERVICE_LABEL, 'name'] as const;
const LEGEND = '{{name}}';

export function containerQueries(cfg: MixinConfig) {
  const s = varScope(cfg, 'cadvisor');
  return {
    cpu: agg('sum', m.containerCpuUsageSecondsTotal, BY, rate(sel(m.containerCpuUsageSecondsTotal, COMPOSE, s))),
    memory: agg('sum', m.containerMemoryWorkingSetBytes, BY, sel(m.containerMemoryWorkingSetBytes, COMPOSE, s)),
    // One series per container id and restart count: the extra ones in the range are restarts
    // (0 for a container that ran throughout, not a gap).
    restarts: `${agg(
      'count',
      m.containerStartTimeSeconds,
      BY,
      `count_over_time(${sel(m.containerStartTimeSeconds, COMPOSE, s)}[$__range])`,
    )} - 1`,
  };
}

const only = (expr: string): Query => ({ expr, legend: LEGEND, mayBeEmpty: NO_CADVISOR });

/** The collapsed row, its panels inside it (a collapsed row holds its panels). */
export function containersRow(cfg: MixinConfig): dashboard.RowBuilder {
  const q = containerQueries(cfg);
  const where = `Needs cAdvisor (Docker Compose, job from selectors.cadvisor); empty elsewhere.`;
  return row(CONTAINERS_ROW)
    .collapsed(true)
    .withPanel(
      timeSeries({
        title: 'Container CPU (cores)',
        description: `CPU each Compose container uses, in cores (rate of ${m.containerCpuUsageSecondsTotal.name}). ${where}`,
        unit: 'short',
        min: 0,
        queries: [only(q.cpu)],
        w: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Container memory (working set)',
        description: `Memory each Compose container uses that cannot be reclaimed: what a memory limit and the OOM killer compare against. ${where}`,
        unit: 'bytes',
        min: 0,
        queries: [only(q.memory)],
        w: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Container restarts',
        description: `Restarts of each Compose container over the dashboard's time range: Docker restarting it in place (restart policy) or Compose recreating it. cAdvisor has no restart counter; each restart starts a new series, counted here. ${where}`,
        unit: 'short',
        min: 0,
        queries: [only(q.restarts)],
        w: 8,
      }),
    );
}
