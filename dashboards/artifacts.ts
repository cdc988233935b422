/**
 * The `dashboards` build target: every dashboard as dist/dashboards/<uid>.json plus Grafana
 * provisioning, and the checks that must pass before any of it is written.
 */
import type { MixinConfig } from '../config/mixin-config.js';
import { lintDashboard, withPositions } from '../validate/dashboard/index.js';
import type { Finding } from '../validate/finding.js';
import { DASHBOARD_CONFIGMAPS_PATH, dashboardConfigMaps } from './k8s-configmaps.js';
import { overviewDashboard } from './overview.js';
import { dashboardProvisioning, datasourceProvisioning } from './provisioning.js';
import { redisQueueDashboard } from './redis-queue.js';
import { stableJson } from './stable-json.js';
import { voteDashboard } from './vote.js';
import { workerDashboard } from './worker.js';

export const DASHBOARD_PROVISIONING_PATH = 'grafana/provisioning/dashboards/voting-mixin.yaml';
export const DATASOURCE_PROVISIONING_PATH = 'grafana/provisioning/datasources/voting-mixin.yaml';

/** Paths relative to dist/ → file contents; deterministic (sorted keys, no timestamps). */
export function dashboardArtifacts(cfg: MixinConfig): Map<string, string> {
  const files = new Map<string, string>();
  const byUid = new Map<string, string>();
  for (const d of [overviewDashboard(cfg), voteDashboard(cfg), redisQueueDashboard(cfg), workerDashboard(cfg)]) {
    const uid = d.uid;
    if (!uid) throw new Error(`dashboard "${d.title}" has no uid (dashboards/defaults.ts sets one)`);
    if (byUid.has(uid)) throw new Error(`two dashboards share the uid ${uid}`);
    const json = stableJson(d);
    byUid.set(uid, json);
    files.set(`dashboards/${uid}.json`, json);
  }
  files.set(DASHBOARD_PROVISIONING_PATH, dashboardProvisioning(cfg));
  files.set(DATASOURCE_PROVISIONING_PATH, datasourceProvisioning(cfg));
  files.set(DASHBOARD_CONFIGMAPS_PATH, dashboardConfigMaps(cfg, byUid));
  return files;
}

/** Schema, query and lint findings on the produced dashboards, positioned in the JSON files. */
export function checkDashboardArtifacts(files: ReadonlyMap<string, string>, _cfg: MixinConfig): Finding[] {
  const out: Finding[] = [];
  for (const [path, text] of files) {
    if (!path.startsWith('dashboards/') || !path.endsWith('.json')) continue;
    out.push(...withPositions(lintDashboard(JSON.parse(text) as unknown, { file: `dist/${path}` }), text));
  }
  return out;
}
