/**
 * What `build` produces, by target. Each producer is pure: config in, files (path relative to
 * dist/ → content) out. Validation of the produced files happens before anything is written.
 */

import { alertArtifacts, checkAlertArtifacts } from '../../alerts/artifacts.js';
import { k8sArtifacts, k8sReferences } from '../../alerts/k8s-artifacts.js';
import type { MixinConfig } from '../../config/mixin-config.js';
import { checkDashboardArtifacts, dashboardArtifacts } from '../../dashboards/artifacts.js';
import type { Finding } from '../../validate/finding.js';

export interface Target {
  /** Files relative to dist/. */
  produce(cfg: MixinConfig): Map<string, string>;
  /** Findings on the produced files; any error-severity finding fails the build. */
  check(files: ReadonlyMap<string, string>, cfg: MixinConfig): Finding[] | Promise<Finding[]>;
  /**
   * Files of other targets (relative to dist/) this target's output refers to: a partial build
   * of it needs them in --out already, or what it writes would point at nothing.
   */
  references?(cfg: MixinConfig): string[];
}

export const targets = {
  dashboards: { produce: dashboardArtifacts, check: checkDashboardArtifacts },
  alerts: { produce: alertArtifacts, check: checkAlertArtifacts },
  // The app's Deployments, Services, ServiceMonitors and the Kustomize base over every k8s/ file;
  // its objects are validated against their schemas when built.
  k8s: { produce: k8sArtifacts, check: () => [], references: k8sReferences },
} satisfies Record<string, Target>;

export type TargetName = keyof typeof targets;
export const targetNames = Object.keys(targets) as TargetName[];
