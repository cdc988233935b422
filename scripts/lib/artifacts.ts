/**
 * What `build` produces, by target. Each producer is pure: config in, files (path relative to
 * dist/ → content) out. Validation of the produced files happens before anything is written.
 */
import type { MixinConfig } from '../../config/mixin-config.js';
import type { Finding } from '../../validate/finding.js';
import { dashboardArtifacts, checkDashboardArtifacts } from '../../dashboards/artifacts.js';
import { alertArtifacts, checkAlertArtifacts } from '../../alerts/artifacts.js';

export interface Target {
  /** Files relative to dist/. */
  produce(cfg: MixinConfig): Map<string, string>;
  /** Findings on the produced files; any error-severity finding fails the build. */
  check(files: ReadonlyMap<string, string>, cfg: MixinConfig): Finding[] | Promise<Finding[]>;
}

export const targets = {
  dashboards: { produce: dashboardArtifacts, check: checkDashboardArtifacts },
  alerts: { produce: alertArtifacts, check: checkAlertArtifacts },
} satisfies Record<string, Target>;

export type TargetName = keyof typeof targets;
export const targetNames = Object.keys(targets) as TargetName[];
