/**
 * Checks that need the whole set: recording rules used but defined nowhere, runbook/dashboard
 * links to dashboard uids the set does not contain, and (with --metrics) metrics that do not exist.
 */

import { allMetrics } from '../config/metrics.js';
import type { SetFacts } from './context.js';
import type { Finding } from './finding.js';

/**
 * Series Prometheus writes itself (per target, per alerting rule): queryable everywhere, but in no
 * service's /metrics exposition, so a --metrics exposition file cannot list them.
 */
const WRITTEN_BY_PROMETHEUS: ReadonlySet<string> = new Set([
  ...allMetrics.filter((m) => m.sources.includes('prometheus')).map((m) => m.name),
  ...['samples_scraped', 'samples_post_metric_relabeling', 'series_added'].map((s) => `scrape_${s}`),
  ...allMetrics.filter((m) => m.name === m.name.toUpperCase()).map((m) => `${m.name}_FOR_STATE`),
]);

export interface CrossOptions {
  /** Metric names that exist (from --metrics); undefined skips the check. */
  knownMetrics?: ReadonlySet<string>;
}

export function crossArtifactFindings(facts: SetFacts, opts: CrossOptions): Finding[] {
  const out: Finding[] = [];
  const at = (u: SetFacts['metricUses'][number]) => ({
    file: u.file,
    ...(u.locate() ?? {}),
    ...(u.context ? { context: u.context } : {}),
  });
  for (const u of facts.metricUses) {
    if (u.name.includes(':') && !facts.recordings.has(u.name)) {
      out.push({
        id: 'cross/undefined-recording',
        severity: 'warning',
        message: `${u.name} looks like a recording rule, but no rule in the validated set records it`,
        ...at(u),
      });
    } else if (
      opts.knownMetrics &&
      !facts.recordings.has(u.name) &&
      !opts.knownMetrics.has(u.name) &&
      !WRITTEN_BY_PROMETHEUS.has(u.name)
    ) {
      out.push({
        id: 'metrics/unknown',
        severity: 'error',
        message: `metric ${u.name} does not exist in the --metrics source`,
        ...at(u),
      });
    }
  }
  // Decidable only when the run includes Grafana's datasource provisioning (and every provisioned
  // datasource has a uid): then a fixed uid none of them has is a panel Grafana cannot query.
  const provisioned = facts.datasourceUids;
  if (provisioned && !facts.datasourceUidMissing)
    for (const u of facts.datasourceUses) {
      if (provisioned.has(u.uid)) continue;
      out.push({
        id: 'cross/unknown-datasource',
        severity: 'error',
        message: `datasource uid ${JSON.stringify(u.uid)} is not provisioned by any datasource file in the validated set (uids: ${[...provisioned].slice(0, 8).join(', ')})`,
        file: u.file,
        ...(u.locate() ?? {}),
        ...(u.context ? { context: u.context } : {}),
      });
    }
  // Decidable only when the run includes dashboards: then a link to a uid none of them has is
  // a link that leads to "Dashboard not found".
  if (facts.dashboards > 0) {
    for (const ref of facts.urls) {
      const uid = /\/d\/([^/?#\s]+)/.exec(ref.url)?.[1];
      // A uid built from a template (`/d/{{ $labels.dashboard }}`) is known only when the alert fires.
      if (!uid || /[{}$]/.test(uid) || facts.dashboardUids.has(uid)) continue;
      out.push({
        id: 'cross/unknown-dashboard',
        severity: 'error',
        message: `${ref.label} points to dashboard uid ${JSON.stringify(uid)}, which no dashboard in the validated set has (uids: ${[...facts.dashboardUids].slice(0, 8).join(', ')})`,
        file: ref.file,
        ...(ref.locate() ?? {}),
      });
    }
  }
  return out;
}
