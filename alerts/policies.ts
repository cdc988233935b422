/**
 * The notification policies' post-pass on the alert specs: a policy's `severity` becomes the
 * severity of its alerts' rules, so the rule label, the generated tests, the runbook and the
 * Alertmanager route all agree. `checkConfig` has already refused a severity on an alert that has
 * several (which one would it replace?); the routes themselves are built in alertmanager.ts.
 */
import type { MixinConfig } from '../config/mixin-config.js';
import type { AlertSpec } from './alert-spec.js';
import type { AlertSeverity } from './rule-types.js';

/** Alert name → the severity a policy gives it. */
export function policySeverities(cfg: MixinConfig): Map<string, AlertSeverity> {
  return new Map(cfg.alertmanager.policies.flatMap((p) => (p.severity ? p.alerts.map((a) => [a, p.severity!]) : [])));
}

/** Every spec with its policy's severity; the component grouping is kept as given. */
export function applyPolicySeverities<C>(
  cfg: MixinConfig,
  byComponent: Array<[C, AlertSpec[]]>,
): Array<[C, AlertSpec[]]> {
  const severity = policySeverities(cfg);
  if (severity.size === 0) return byComponent;
  return byComponent.map(([c, specs]) => [
    c,
    specs.map((s) => {
      const to = severity.get(s.alert);
      return to && to !== s.severity ? { ...s, severity: to } : s;
    }),
  ]);
}
