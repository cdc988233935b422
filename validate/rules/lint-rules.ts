/**
 * Rule lints in the spirit of pint and mixtool: warnings (errors only with --strict) about rules
 * Prometheus accepts but that page nobody, page wrongly or render badly.
 */
import type { FileContext } from '../context.js';
import type { Path } from '../plain.js';
import type { RuleInfo, SeenRules } from './rule-info.js';

// level:metric:operations; the mixins' `level:metric:` (no operations, e.g.
// node_namespace_pod:kube_pod_info:) follows the convention too.
const RECORDING_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_]+(:[a-zA-Z0-9_]*)+$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
export const defaultSeverities = ['critical', 'warning', 'info'];

/** `seen` spans the whole set of files: duplicate names are found across files too. */
export function lintRule(ctx: FileContext, r: RuleInfo, seen: SeenRules): void {
  const warn = (id: string, message: string, path: Path = r.path) =>
    ctx.reportAt(id, 'warning', message, path, {}, r.context);
  const a = r.analysis;
  const exprOk = a && !a.issues.some((i) => i.severity === 'error');
  if (r.kind === 'record') {
    if (r.name && !RECORDING_NAME.test(r.name))
      warn(
        'lint/recording-name',
        `recording rule ${JSON.stringify(r.name)} does not follow level:metric:operations (e.g. job:http_requests:rate5m)`,
      );
  } else {
    if (r.name && !PASCAL.test(r.name))
      warn(
        'lint/alert-name',
        `alert ${JSON.stringify(r.name)} should be PascalCase (<Component><Condition>, e.g. KubePodCrashLooping)`,
      );
    if (exprOk && !a.hasComparison && !a.usesAbsent)
      warn(
        'lint/alert-no-comparison',
        `alert ${JSON.stringify(r.name)} has no comparison: it fires for every series the expression returns`,
      );
    if (exprOk && a.usesAbsent && !r.forMs)
      warn(
        'lint/absent-without-for',
        `alert ${JSON.stringify(r.name)} uses absent() without a "for": a single missed scrape or a restart pages`,
      );
    const sev = r.labels.get('severity');
    const allowed = ctx.opts.severities ?? defaultSeverities;
    if (!sev)
      warn(
        'lint/severity-missing',
        `alert ${JSON.stringify(r.name)} has no "severity" label (one of ${allowed.join(', ')})`,
      );
    else if (!sev.value.includes('{{') && !allowed.includes(sev.value))
      warn(
        'lint/severity-unknown',
        `severity ${JSON.stringify(sev.value)} is not one of ${allowed.join(', ')}`,
        sev.path,
      );
    if (!r.annotations.get('summary')?.value)
      warn('lint/summary-missing', `alert ${JSON.stringify(r.name)} has no "summary" annotation`);
    if (!r.annotations.get('description')?.value)
      warn('lint/description-missing', `alert ${JSON.stringify(r.name)} has no "description" annotation`);
  }
  if (!r.name) return;
  const key = `${r.kind}\u0000${r.name}\u0000${[...r.labels]
    .map(([k, v]) => `${k}=${v.value}`)
    .sort()
    .join(',')}`;
  const prev = seen.get(key);
  if (prev)
    warn(
      'lint/duplicate-rule',
      `duplicate ${r.kind === 'alert' ? 'alert' : 'recording rule'} ${JSON.stringify(r.name)} with the same labels (also at ${prev.file === r.file ? '' : `${prev.file}: `}${prev.context})`,
    );
  else seen.set(key, r);
}
