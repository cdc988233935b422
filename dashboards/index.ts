/** Dashboard builders: each is `(cfg: MixinConfig) => DashboardJson`, pure. */
import type { MixinConfig } from '../config/mixin-config.js';
import type { DashboardJson } from './defaults.js';
import { overviewDashboard } from './overview.js';
import { redisQueueDashboard } from './redis-queue.js';
import { voteDashboard } from './vote.js';
import { workerDashboard } from './worker.js';

export { checkDashboardArtifacts, dashboardArtifacts } from './artifacts.js';
export { type DashboardJson, type DashboardKey, dashboardTitle, dashboardUid } from './defaults.js';
export { overviewDashboard, redisQueueDashboard, voteDashboard, workerDashboard };

/** Every dashboard the mixin ships, overview first. */
export function allDashboards(cfg: MixinConfig): DashboardJson[] {
  return [overviewDashboard(cfg), voteDashboard(cfg), redisQueueDashboard(cfg), workerDashboard(cfg)];
}
