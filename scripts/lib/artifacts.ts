/**
 * What `build` produces, by target. Each producer is pure: config in, files (path relative to
 * dist/ → content) out. Validation of the produced files happens before anything is written.
 */

import { alertArtifacts, checkAlertArtifacts } from '../../alerts/artifacts.js';
import { k8sArtifacts, k8sOwns, k8sReferences } from '../../alerts/k8s-artifacts.js';
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
  /**
   * Whether a path is this target's, for a partial build of the others to keep it without
   * producing it. Without it, the target is produced to know its paths (and its files serve as
   * validation context); only a target no other validates against may set it.
   */
  owns?(rel: string): boolean;
}

export const targets = {
  dashboards: { produce: dashboardArtifacts, check: checkDashboardArtifacts },
  alerts: { produce: alertArtifacts, check: checkAlertArtifacts },
  // The app's Deployments, Services, ServiceMonitors and the Kustomize base over every k8s/ file;
  // its objects are validated against their schemas when built.
  // Nothing validates against its files, and producing its objects takes about 0.3 s: a partial
  // build of the others keeps its files by path.
  k8s: { produce: k8sArtifacts, check: () => [], references: k8sReferences, owns: k8sOwns },
} satisfies Record<string, Target>;

export type TargetName = keyof typeof targets;
export const targetNames = Object.keys(targets) as TargetName[];
