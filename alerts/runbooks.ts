/**
 * One markdown runbook per alert name (siblings of several severities or queues share one):
 * what it means, how to confirm (the exact queries), how to mitigate, how to follow up.
 */
import type { MixinConfig } from '../config/mixin-config.js';
import type { AlertSpec } from './alert-spec.js';
import { dashboardUrl, type PanelIds } from './conventions.js';

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
const bullets = (xs: string[]): string => xs.map((x) => `- ${x}`).join('\n');
const fence = (q: string): string => `\`\`\`promql\n${q}\n\`\`\``;

export function runbook(cfg: MixinConfig, specs: AlertSpec[], panels: PanelIds = {}): string {
  const first = specs[0]!;
  const rows = specs.map(
    (s) =>
      `| ${s.severity} | ${
        Object.entries(s.probe.labels)
          .filter(([k]) => k === 'queue')
          .map(([, v]) => v)
          .join('') || '—'
      } | \`${s.for}\` | ${s.summary} |`,
  );
  const confirm = uniq([...specs.map((s) => s.expr), ...specs.flatMap((s) => s.runbook.confirm ?? [])]);
  return [
    `# ${first.alert}`,
    '',
    first.runbook.meaning,
    '',
    '| severity | queue | for | summary |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Dashboard: ${uniq(specs.map((s) => dashboardUrl(cfg, s, panels))).join(', ')}`,
    '',
    '## What it means',
    '',
    uniq(specs.map((s) => s.runbook.meaning)).join('\n\n'),
    '',
    'The alert text: ',
    '',
    uniq(specs.map((s) => `> ${s.description}`)).join('\n>\n'),
    '',
    '## How to confirm',
    '',
    "Run these in Prometheus (Graph) or Grafana Explore. The first is the alert's own expression: it returns the series that are over the threshold.",
    '',
    confirm.map(fence).join('\n\n'),
    '',
    '## How to mitigate',
    '',
    bullets(uniq(specs.flatMap((s) => s.runbook.mitigate))),
    '',
    '## How to follow up',
    '',
    bullets(
      uniq([
        ...specs.flatMap((s) => s.runbook.followUp),
        'Write down what happened and whether this alert helped; tune its threshold in the mixin config if it did not.',
      ]),
    ),
    '',
  ].join('\n');
}

/** Alert name → runbook markdown. */
export function runbooks(cfg: MixinConfig, specs: AlertSpec[], panels: PanelIds = {}): Map<string, string> {
  const byName = new Map<string, AlertSpec[]>();
  for (const s of specs) byName.set(s.alert, [...(byName.get(s.alert) ?? []), s]);
  return new Map([...byName].map(([name, list]) => [name, runbook(cfg, list, panels)]));
}
