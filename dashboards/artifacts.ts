// Placeholder until the dashboards land (issue 2): produces nothing, checks nothing.
import type { MixinConfig } from '../config/mixin-config.js';
import type { Finding } from '../validate/finding.js';

export function dashboardArtifacts(_cfg: MixinConfig): Map<string, string> {
  return new Map();
}

export function checkDashboardArtifacts(_files: ReadonlyMap<string, string>, _cfg: MixinConfig): Finding[] {
  return [];
}
