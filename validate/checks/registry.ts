/** Lookups over the generated registry (index.ts). */
import type { Finding } from '../finding.js';
import type { Check } from './check.js';
import { checks } from './index.js';

const byId = new Map(checks.map((c) => [c.id, c]));

export { checks };

export const checkById = (id: string): Check | undefined => byId.get(id);

/**
 * Gives every finding its check's severity, or the user's override (`severity:` in the validate
 * config). A report site's own severity stands only for ids the registry does not know, which
 * registry.test.ts forbids.
 */
export function applySeverities(findings: Finding[], overrides?: ReadonlyMap<string, Finding['severity']>): Finding[] {
  for (const f of findings) {
    const s = overrides?.get(f.id) ?? byId.get(f.id)?.severity;
    if (s && s !== f.severity) f.severity = s;
  }
  return findings;
}
