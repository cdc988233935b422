/**
 * One markdown runbook per alert name (siblings of several severities or queues share one):
 * what it means, how to confirm (the exact queries), how to mitigate, how to follow up.
 */
import type { MixinConfig } from '../config/mixin-config.js';
import { durationSeconds } from '../config/promql.js';
import type { AlertSpec } from './alert-spec.js';
import { dashboardUrl, type PanelIds } from './conventions.js';

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
const bullets = (xs: string[]): string => xs.map((x) => `- ${x}`).join('\n');
const fence = (q: string): string => `\`\`\`promql\n${q}\n\`\`\``;

/**
 * An annotation's Go template as a reader sees it in the notification: `{{ $labels.queue }}` becomes
 * `<queue>` and `{{ $value | humanize… }}` `<value>`, each in a code span so it reads as a
 * placeholder (and no markdown renderer takes `<queue>` for an HTML tag). The specs use only these
 * two forms (alert-spec.ts); anything else stays as it is, in a code span.
 */
const PLACEHOLDER = /\{\{\s*\$labels\.(\w+)\s*\}\}|\{\{\s*(\$value)(?:\s*\|\s*\w+)?\s*\}\}|\{\{.*?\}\}/g;
export function readableTemplate(text: string): string {
  return text.replace(PLACEHOLDER, (t, label?: string, value?: string) =>
    label ? `\`<${label}>\`` : value ? '`<value>`' : `\`${t}\``,
  );
}

/** The placeholders `readableTemplate` writes for a set of texts, as a sentence part: "`<queue>` and `<value>`". */
function placeholders(texts: string[]): string {
  const names = uniq(
    texts.flatMap((t) => [...t.matchAll(PLACEHOLDER)].map((m) => m[1] ?? (m[2] ? 'value' : ''))),
  ).filter(Boolean);
  // Labels first, then the value: the order a reader meets them in the notification hardly matters.
  const sorted = [...names.filter((n) => n !== 'value'), ...names.filter((n) => n === 'value')];
  const words = sorted.map((n) => `\`<${n}>\``);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
}

const queueOf = (s: AlertSpec): string | undefined => s.probe.labels.queue;

/** "critical, queue votes": which sibling an expression is, in the words of the table's columns. */
const which = (s: AlertSpec): string => [s.severity, queueOf(s) && `queue ${queueOf(s)}`].filter(Boolean).join(', ');

export function runbook(cfg: MixinConfig, specs: AlertSpec[], panels: PanelIds = {}): string {
  const first = specs[0]!;
  const rows = specs.map(
    (s) => `| ${s.severity} | ${queueOf(s) ?? '—'} | \`${s.for}\` | ${readableTemplate(s.summary)} |`,
  );
  // The alert's own expressions first, one per sibling (siblings with the same one share it), then
  // the extra queries of the runbook.
  const exprs = uniq(specs.map((s) => s.expr));
  const ownExpr = exprs.map((e) => {
    const of = specs.filter((s) => s.expr === e);
    return exprs.length > 1 ? `${of.map(which).join('; ')}:\n\n${fence(e)}` : fence(e);
  });
  const fors = uniq(specs.map((s) => s.for));
  const fires =
    fors.length > 1
      ? 'an alert, pending for its first `for` (in the table) and firing after'
      : durationSeconds(fors[0]!) === 0
        ? 'a firing alert'
        : `an alert, pending for its first \`${fors[0]}\` and firing after`;
  const extra = uniq(specs.flatMap((s) => s.runbook.confirm ?? [])).filter((q) => !exprs.includes(q));
  const descriptions = uniq(specs.map((s) => s.description));
  const named = placeholders(descriptions);
  const dashboards = uniq(specs.map((s) => dashboardUrl(cfg, s, panels)));
  return [
    `# ${first.alert}`,
    '',
    '| severity | queue | for | summary |',
    '|---|---|---|---|',
    ...rows,
    '',
    `${dashboards.length > 1 ? 'Dashboards' : 'Dashboard'}: ${dashboards.join(', ')}`,
    '',
    '## What it means',
    '',
    uniq(specs.map((s) => s.runbook.meaning)).join('\n\n'),
    '',
    named ? `The notification says (${named} are filled in from the firing series):` : 'The notification says:',
    '',
    descriptions.map((d) => `> ${readableTemplate(d)}`).join('\n>\n'),
    '',
    '## How to confirm',
    '',
    `Run these in Prometheus (Graph) or Grafana Explore. ${exprs.length > 1 ? "The alert's expressions first: every series they return" : "The alert's expression first: every series it returns"} is ${fires}.`,
    '',
    ownExpr.join('\n\n'),
    '',
    ...(extra.length ? ['Then, to see what is behind it:', '', extra.map(fence).join('\n\n'), ''] : []),
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
