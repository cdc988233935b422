/**
 * Checks a merged `MixinConfig` for what a JSON Schema cannot say: orderings between
 * thresholds, valid durations and regexps, unique queue names. The first problem throws a
 * `ConfigError` naming the config path, e.g.
 * `queues[0].critical must be greater than queues[0].warning (got 100 <= 200)`.
 */
import { ALERT_SEVERITIES, INTEGRATION_RECEIVERS, SEVERITY_RECEIVERS } from './alert-catalog.js';
import {
  asMatcher,
  concreteValue,
  nonMatchingValue,
  regexError,
  scopeSelects,
  seriesValue,
  targetLabels,
} from './label-values.js';
import { allMetrics, metrics } from './metrics.js';
import type { MixinConfig } from './mixin-config.js';
import { durationSeconds, formatDuration, type LabelMatcher, type Scope } from './promql.js';

/** A user mistake in the config: the CLI maps it to exit code 2. */
export class ConfigError extends Error {
  /** Config path in JS notation (`queues[0].critical`), or '' for the whole config. */
  readonly path: string;
  /** file:line:col when the config came from a file and the path could be located in it. */
  location?: string;
  constructor(path: string, message: string) {
    super(path ? `${path} ${message}` : message);
    this.name = 'ConfigError';
    this.path = path;
  }
}

/** `queues[0].critical` from ['queues', 0, 'critical']. */
export function formatPath(segments: ReadonlyArray<string | number>): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** ['queues', 0, 'critical'] from `queues[0].critical` — used to locate a path in a YAML file. */
export function parsePath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

function greater(hiPath: string, hi: number, loPath: string, lo: number): void {
  if (!(hi > lo)) throw new ConfigError(hiPath, `must be greater than ${loPath} (got ${hi} <= ${lo})`);
}

/**
 * A p95 threshold on a histogram must lie where histogram_quantile can tell latencies apart: its
 * estimate is never below 95% of the first bucket (so a threshold under the first bucket fires on
 * any traffic) and never above the highest bucket (so a threshold there could never fire).
 */
function histogramThreshold(path: string, v: number, name: string, buckets: readonly number[]): void {
  const lo = buckets[0];
  const hi = buckets.at(-1);
  if (lo === undefined || hi === undefined) return;
  if (!(v >= lo && v < hi))
    throw new ConfigError(
      path,
      `must be at least ${lo} and below ${hi}, the first and highest buckets of ${name}: the p95 is estimated from those buckets, so below the first it always exceeds the threshold and at or above the highest it never does (got ${v})`,
    );
}

function ratio(path: string, v: number): void {
  if (!(v > 0 && v < 1)) throw new ConfigError(path, `must be a ratio between 0 and 1 exclusive (got ${v})`);
}

/** Whole numbers and one unit, as the JSON Schema says: Prometheus rejects fractions in PromQL. */
const CONFIG_DURATION = /^[0-9]+(ms|s|m|h|d|w|y)$/;

function duration(path: string, v: string): void {
  if (!CONFIG_DURATION.test(v)) {
    throw new ConfigError(path, `must be a Prometheus duration with one unit such as 30s, 5m or 1h (got "${v}")`);
  }
}

const LABEL_VALUE_SAFE = /^[a-zA-Z_][a-zA-Z0-9_:.-]*$/;
const UID_SAFE = /^[a-zA-Z0-9_-]+$/;

// — selectors (selectors.*) —

const MATCH_OPS: readonly string[] = ['=', '!=', '=~', '!~'];
/** Labels the mixin's own metrics carry: a selector naming one would be overridden by the queries' own matchers. */
const METRIC_LABELS = new Set(allMetrics.flatMap((m) => m.labels as readonly string[]));
/** A label value that reads like PromQL: an operator in front, or quotes and braces. */
const PROMQL_LOOKING = /^\s*(=~|!=|!~|=)|["{}]/;

/** `{ op: '=~', value: 'vote.*' }` for `=~"vote.*"`, to suggest the object form. */
function objectForm(text: string): string {
  const m = /^\s*(=~|!=|!~|=)?\s*"?([^"]*?)"?\s*}?\s*$/.exec(text);
  const op = m?.[1] ?? '=';
  const value = (m?.[2] ?? text).replace(/["{}]/g, '');
  return `{ op: '${op}', value: '${value.replace(/'/g, "\\'")}' }`;
}

/**
 * Every component's selector: valid label names and RE2 regexes, no PromQL pasted where a label
 * value belongs, and — since the generated tests and scrape config need series the selector
 * selects — a concrete value for every matcher (its example, or one derived from the regex).
 */
function checkSelectors(cfg: MixinConfig): void {
  for (const [component, scope] of Object.entries(cfg.selectors) as Array<[string, Scope]>) {
    const entries = Object.entries(scope ?? {});
    if (entries.length === 0)
      throw new ConfigError(
        `selectors.${component}`,
        `must have at least one matcher (e.g. job: '${component}'): an empty selector selects every target, so the ${component} queries would count the other components' series`,
      );
    for (const [label, m] of entries) {
      const path = `selectors.${component}.${label}`;
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) throw new ConfigError(path, 'is not a valid Prometheus label name');
      if (label.startsWith('__')) throw new ConfigError(path, 'names a reserved label (__…): Prometheus drops those');
      if (label === 'instance')
        throw new ConfigError(
          path,
          'cannot be selected on: the dashboards choose instances with their $instance variable and the generated tests give each target its own; select the component by job or another target label (namespace, cluster, …)',
        );
      if (METRIC_LABELS.has(label))
        throw new ConfigError(
          path,
          `is a label the mixin's metrics set themselves (the queries match it on their own); select the component by target labels such as job, namespace or cluster`,
        );
      if (typeof m !== 'string' && (typeof m !== 'object' || m === null))
        throw new ConfigError(path, `must be a label value or { op, value } (got ${JSON.stringify(m)})`);
      if (typeof m !== 'string' && !MATCH_OPS.includes(m.op))
        throw new ConfigError(`${path}.op`, `must be one of ${MATCH_OPS.join(', ')} (got ${JSON.stringify(m.op)})`);
      if (typeof m !== 'string' && typeof m.value !== 'string')
        throw new ConfigError(`${path}.value`, `must be a string (got ${JSON.stringify(m.value)})`);
      const valuePath = typeof m === 'string' ? path : `${path}.value`;
      const op = typeof m === 'string' ? '=' : m.op;
      const value = typeof m === 'string' ? m : m.value;
      const regex = op === '=~' || op === '!~';
      // `job: '=~"vote.*"'` would become job="=~\"vote.*\"": a literal no target carries.
      if (regex ? /^\s*(=~|!=|!~|=)\s*"|^".*"$/.test(value) : PROMQL_LOOKING.test(value))
        throw new ConfigError(
          valuePath,
          `looks like PromQL (${JSON.stringify(value)}), not a ${regex ? 'regex' : 'label value'}: it would be matched literally. Write the matcher in its object form, e.g. ${objectForm(value)}`,
        );
      // `job=""` is valid PromQL but selects only series *without* a job: every query and alert
      // would silently match nothing, and the dashboards' $job variable would offer no value.
      if (value === '' && (op === '=' || op === '=~'))
        throw new ConfigError(valuePath, 'must not be empty (an empty matcher selects only series without that label)');
      if (regex) {
        const err = regexError(value);
        if (err !== undefined) throw new ConfigError(valuePath, `is not a valid regular expression (RE2): ${err}`);
      }
      const sv = seriesValue(m);
      if (!sv.ok) throw new ConfigError(`${path}${sv.at}`, sv.message);
      // Prometheus gives every target a job: a job matcher nothing non-empty satisfies selects nothing.
      if (label === 'job' && concreteValue(m, component) === undefined)
        throw new ConfigError(
          path,
          `selects no job name (every scraped target has a non-empty job); add example: <a job name it selects>`,
        );
    }
    // "Absent" alerts are tested against some other target: a selector every target passes has none.
    if (!entries.some(([, m]) => nonMatchingValue(m) !== undefined))
      throw new ConfigError(
        `selectors.${component}`,
        `selects every target (each matcher accepts any value): the ${component} queries would count the other components' series; select it by a value, e.g. job: '${component}'`,
      );
  }
  checkDisjoint(cfg);
}

const matcherText = (m: LabelMatcher) => `${m.op}${JSON.stringify(m.value)}`;
const labelsText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');

interface Overlap {
  a: string;
  b: string;
  /** B's generated target labels that A's selector selects. */
  labels: Record<string, string>;
  /** The matcher of A to blame (a regex or negative one lets B through), or undefined: the whole selector. */
  label?: string;
}

/**
 * No component's selector may select the targets the generated scrape config gives another
 * component (job_name and target labels, via the same targetLabels prometheus-config.ts uses):
 * `job=~"voting-.*"` for vote would make VoteInstanceDown and every vote panel count the worker,
 * and a worker regex whose derived job is "vote" would give the worker's targets the vote's job.
 * Shared jobs are fine when another label tells the targets apart. A regex JavaScript cannot
 * evaluate (`\pL`, POSIX classes) proves nothing either way and is let through.
 */
function checkDisjoint(cfg: MixinConfig): void {
  const scopes = Object.entries(cfg.selectors) as Array<[string, Scope]>;
  const targets = scopes.map(([c, scope]) => {
    const t = targetLabels(scope, c);
    if (!t.ok) throw new ConfigError(`selectors.${c}${t.at}`, t.message);
    return [c, t.labels] as const;
  });
  const overlaps: Overlap[] = [];
  for (const [a, scope] of scopes)
    for (const [b, labels] of targets) {
      if (a === b || scopeSelects(scope, labels) !== true) continue;
      const loose = Object.entries(scope).filter(([, m]) => asMatcher(m).op !== '=');
      const label = loose.find(([l]) => l === 'job')?.[0] ?? loose[0]?.[0];
      overlaps.push({ a, b, labels, ...(label !== undefined ? { label } : {}) });
    }
  // Blame a regex or negative matcher first: with worker job=~"\bvote\b" both selectors select
  // each other's targets, and it is the worker's regex, not vote's plain job, that is too wide.
  const o = overlaps.find((x) => x.label !== undefined) ?? overlaps[0];
  if (!o) return;
  const scope = cfg.selectors[o.a as keyof MixinConfig['selectors']];
  const whom = `the ${o.b}'s targets (${labelsText(o.labels)}): every ${o.a} query and alert would count them`;
  if (o.label !== undefined) {
    const m = asMatcher(scope[o.label]!);
    const value = o.labels[o.label];
    const hint =
      m.op === '=~'
        ? value !== undefined
          ? `a regex that does not match "${value}" (e.g. an alternation of the ${o.a}'s own ${o.label} values)`
          : `a regex that does not match an empty ${o.label}`
        : `select the ${o.a}'s targets by what they are (e.g. ${o.label}: '${o.a}') instead of by what they are not`;
    throw new ConfigError(
      `selectors.${o.a}.${o.label}`,
      `${matcherText(m)} also selects ${whom}; make the selectors disjoint: ${hint}, or a label only the ${o.a}'s targets carry`,
    );
  }
  // Only equalities, all of which B's targets satisfy: B carries a label A does not look at, or the same job.
  const extra = Object.keys(o.labels).find((l) => !(l in scope));
  const hint =
    extra !== undefined
      ? `add ${extra}: <the ${o.a}'s value> to the ${o.a} selector`
      : `give the ${o.a}'s targets their own job or another label that tells them apart`;
  throw new ConfigError(
    `selectors.${o.a}`,
    `{${Object.entries(scope)
      .map(([l, m]) => `${l}${matcherText(asMatcher(m))}`)
      .join(', ')}} also selects ${whom}; make the selectors disjoint: ${hint}`,
  );
}

/** Throws ConfigError on the first semantic problem. */
export function checkConfig(cfg: MixinConfig): void {
  checkSelectors(cfg);
  checkTargets(cfg);

  if (cfg.queues.length === 0) throw new ConfigError('queues', 'must name at least one queue');
  const names = new Set<string>();
  cfg.queues.forEach((q, i) => {
    const p = `queues[${i}]`;
    if (!LABEL_VALUE_SAFE.test(q.name))
      throw new ConfigError(`${p}.name`, `must be a simple identifier (got "${q.name}")`);
    if (names.has(q.name)) throw new ConfigError(`${p}.name`, `duplicates another queue's name "${q.name}"`);
    names.add(q.name);
    if (!q.key) throw new ConfigError(`${p}.key`, 'must not be empty');
    if (!(q.warning >= 0)) throw new ConfigError(`${p}.warning`, `must not be negative (got ${q.warning})`);
    // An age is never negative: a negative threshold would fire on every queue, even an empty one.
    if (!(q.oldestAgeWarningSeconds >= 0))
      throw new ConfigError(
        `${p}.oldestAgeWarningSeconds`,
        `must not be negative (got ${q.oldestAgeWarningSeconds}): an item's age never is, so the alert would always fire`,
      );
    greater(`${p}.critical`, q.critical, `${p}.warning`, q.warning);
    greater(
      `${p}.oldestAgeCriticalSeconds`,
      q.oldestAgeCriticalSeconds,
      `${p}.oldestAgeWarningSeconds`,
      q.oldestAgeWarningSeconds,
    );
    if (!(q.averagedCritical > 0))
      throw new ConfigError(`${p}.averagedCritical`, `must be positive (got ${q.averagedCritical})`);
    if (!(q.drainTargetSeconds > 0))
      throw new ConfigError(`${p}.drainTargetSeconds`, `must be positive (got ${q.drainTargetSeconds})`);
    duration(`${p}.for`, q.for);
  });

  const t = cfg.thresholds;
  ratio('thresholds.vote.errorRatioWarning', t.vote.errorRatioWarning);
  ratio('thresholds.vote.errorRatioCritical', t.vote.errorRatioCritical);
  greater(
    'thresholds.vote.errorRatioCritical',
    t.vote.errorRatioCritical,
    'thresholds.vote.errorRatioWarning',
    t.vote.errorRatioWarning,
  );
  greater(
    'thresholds.vote.latencyP95CriticalSeconds',
    t.vote.latencyP95CriticalSeconds,
    'thresholds.vote.latencyP95WarningSeconds',
    t.vote.latencyP95WarningSeconds,
  );
  histogramThreshold(
    'thresholds.vote.latencyP95WarningSeconds',
    t.vote.latencyP95WarningSeconds,
    metrics.httpRequestDurationSeconds.name,
    metrics.httpRequestDurationSeconds.buckets ?? [],
  );
  histogramThreshold(
    'thresholds.vote.latencyP95CriticalSeconds',
    t.vote.latencyP95CriticalSeconds,
    metrics.httpRequestDurationSeconds.name,
    metrics.httpRequestDurationSeconds.buckets ?? [],
  );
  histogramThreshold(
    'thresholds.worker.processingP95WarningSeconds',
    t.worker.processingP95WarningSeconds,
    metrics.workerProcessingDurationSeconds.name,
    metrics.workerProcessingDurationSeconds.buckets ?? [],
  );
  // Neither quantity is ever 0, so a threshold of 0 would keep the panel red or the alert firing.
  if (!(t.worker.lastSuccessMaxAgeSeconds > 0))
    throw new ConfigError(
      'thresholds.worker.lastSuccessMaxAgeSeconds',
      `must be positive (got ${t.worker.lastSuccessMaxAgeSeconds}): the time since a worker's last batch is never 0, so the panel would always be red`,
    );
  if (!(t.exporter.scrapeDurationWarningSeconds > 0))
    throw new ConfigError(
      'thresholds.exporter.scrapeDurationWarningSeconds',
      `must be positive (got ${t.exporter.scrapeDurationWarningSeconds}): every collection takes some time, so the alert would always fire`,
    );
  ratio('thresholds.worker.failureRatioWarning', t.worker.failureRatioWarning);
  ratio('thresholds.worker.failureRatioCritical', t.worker.failureRatioCritical);
  greater(
    'thresholds.worker.failureRatioCritical',
    t.worker.failureRatioCritical,
    'thresholds.worker.failureRatioWarning',
    t.worker.failureRatioWarning,
  );
  ratio('thresholds.worker.dbPoolSaturationRatio', t.worker.dbPoolSaturationRatio);
  ratio('thresholds.redis.memoryWarningRatio', t.redis.memoryWarningRatio);
  ratio('thresholds.redis.memoryCriticalRatio', t.redis.memoryCriticalRatio);
  greater(
    'thresholds.redis.memoryCriticalRatio',
    t.redis.memoryCriticalRatio,
    'thresholds.redis.memoryWarningRatio',
    t.redis.memoryWarningRatio,
  );
  ratio('thresholds.redis.clientsWarningRatio', t.redis.clientsWarningRatio);
  // RSS never falls far below used memory on a healthy Redis, so a ratio of 1 or less is "always".
  if (!(t.redis.fragmentationWarningRatio > 1))
    throw new ConfigError(
      'thresholds.redis.fragmentationWarningRatio',
      `must be above 1 (got ${t.redis.fragmentationWarningRatio}): 1 means no fragmentation at all, so the alert would fire on every Redis`,
    );
  if (!(t.redis.fragmentationMinBytes >= 0))
    throw new ConfigError(
      'thresholds.redis.fragmentationMinBytes',
      `must not be negative (got ${t.redis.fragmentationMinBytes})`,
    );
  // Redis reports lag in whole seconds and a healthy replica reads 0 or 1.
  if (!(t.redis.replicaLagWarningSeconds >= 1))
    throw new ConfigError(
      'thresholds.redis.replicaLagWarningSeconds',
      `must be at least 1 (got ${t.redis.replicaLagWarningSeconds}): a healthy replica's lag reads 0 or 1 second, so the alert would fire on it`,
    );

  duration('slo.period', cfg.slo.period);
  ratio('slo.availability.target', cfg.slo.availability.target);
  ratio('slo.latency.target', cfg.slo.latency.target);
  if (durationSeconds(cfg.slo.period) < 3 * 86400) {
    throw new ConfigError('slo.period', `must be at least 3d so the 3d burn-rate window fits (got ${cfg.slo.period})`);
  }

  for (const k of ['rateWindow', 'defaultFor', 'downFor', 'stalledFor', 'growingFor', 'keepFiringFor'] as const) {
    duration(`alerts.${k}`, cfg.alerts[k]);
  }
  for (const [name, d] of Object.entries(cfg.alerts.forOverrides)) duration(`alerts.forOverrides.${name}`, d);
  duration('prometheus.scrapeInterval', cfg.prometheus.scrapeInterval);
  duration('prometheus.evaluationInterval', cfg.prometheus.evaluationInterval);
  // rate() over fewer than four scrapes swings or goes empty with one missed scrape; refused here,
  // once, rather than as a lint warning on every rule that uses the window.
  const minWindow = 4 * durationSeconds(cfg.prometheus.scrapeInterval);
  if (durationSeconds(cfg.alerts.rateWindow) < minWindow) {
    throw new ConfigError(
      'alerts.rateWindow',
      `must be at least 4× prometheus.scrapeInterval (${formatDuration(minWindow)}) so rate() sees enough samples (got ${cfg.alerts.rateWindow})`,
    );
  }
  // WorkerAbsent is absent(up{…}) with this `for`: at 0s one missed scrape or a restart pages.
  const absentFor = cfg.alerts.forOverrides.WorkerAbsent
    ? ['alerts.forOverrides.WorkerAbsent', cfg.alerts.forOverrides.WorkerAbsent]
    : ['alerts.downFor', cfg.alerts.downFor];
  if (durationSeconds(absentFor[1]!) === 0) {
    throw new ConfigError(
      absentFor[0]!,
      'must be longer than 0s: WorkerAbsent (absent()) would page on one missed scrape',
    );
  }
  // The latency SLO counts requests under a bucket boundary (`le="…"`): another value has no series
  // and the latency SLO recordings and burn-rate alerts would stay empty forever.
  const buckets = metrics.httpRequestDurationSeconds.buckets ?? [];
  if (!buckets.includes(cfg.slo.latency.thresholdSeconds)) {
    throw new ConfigError(
      'slo.latency.thresholdSeconds',
      `must be a bucket boundary of ${metrics.httpRequestDurationSeconds.name} (${buckets.join(', ')}) (got ${cfg.slo.latency.thresholdSeconds})`,
    );
  }
  for (const sev of ['critical', 'warning', 'info'] as const) {
    for (const k of ['groupWait', 'groupInterval', 'repeatInterval'] as const) {
      duration(`alertmanager.timing.${sev}.${k}`, cfg.alertmanager.timing[sev][k]);
    }
  }

  if (!UID_SAFE.test(cfg.grafana.uidPrefix) || cfg.grafana.uidPrefix.length > 24) {
    throw new ConfigError(
      'grafana.uidPrefix',
      `must be 1-24 characters of letters, digits, _ or - (Grafana uids are at most 40) (got "${cfg.grafana.uidPrefix}")`,
    );
  }
  for (const [path, url] of [
    ['grafana.url', cfg.grafana.url],
    ['runbookBaseUrl', cfg.runbookBaseUrl],
    ['datasources.prometheus.url', cfg.datasources.prometheus.url],
    ['datasources.loki.url', cfg.datasources.loki.url],
  ] as const) {
    if (!URL.canParse(url)) throw new ConfigError(path, `must be an absolute URL (got "${url}")`);
  }
  const webhook = cfg.alertmanager.receivers.webhook;
  if (webhook && 'url' in webhook) {
    if (!URL.canParse(webhook.url))
      throw new ConfigError('alertmanager.receivers.webhook.url', `must be an absolute URL (got "${webhook.url}")`);
    const u = new URL(webhook.url);
    if (u.username || u.password || u.search) {
      throw new ConfigError(
        'alertmanager.receivers.webhook.url',
        'carries credentials or a query string; put the URL in a file and use urlFile so no secret lands in generated files',
      );
    }
  }

  // — notification policies (alertmanager.policies) —
  checkPolicies(cfg);

  // — scaling policy (scaling.*) —
  checkScaling(cfg);

  // — health bands (thresholds.health) —
  // The score is 0–100: a band at or below 0 would make the gauge never red, above 100 never green.
  const health = cfg.thresholds.health;
  if (!(health.warning > 0))
    throw new ConfigError('thresholds.health.warning', `must be greater than 0 (got ${health.warning})`);
  greater('thresholds.health.healthy', health.healthy, 'thresholds.health.warning', health.warning);
  if (!(health.healthy <= 100))
    throw new ConfigError(
      'thresholds.health.healthy',
      `must be at most 100, the top of the score (got ${health.healthy})`,
    );
}

// — notification policies: the checks behind the call in checkConfig —

/** Alertmanager refuses a zero group_interval or repeat_interval (it would notify in a loop). */
function nonZeroDuration(path: string, v: string): void {
  duration(path, v);
  if (durationSeconds(v) === 0) throw new ConfigError(path, `must not be zero (got "${v}")`);
}

const quoteList = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');

/**
 * Why an alert in the catalog is not generated for this config, or undefined when it is. A policy
 * naming such an alert would get no route at all (policyRoutes makes one per severity the alert's
 * rules carry), so the team's cooldown or receiver would silently never apply. The check covers the
 * default policies too: they name only alerts every config generates (alerts/policies.test.ts
 * proves it), so it never fires on a policy the team did not write. Kept here, not beside the
 * builders, for the same reason as the catalog; alerts/policies.test.ts proves it matches them.
 */
export function notGeneratedBecause(cfg: MixinConfig, alert: string): string | undefined {
  if (alert === 'QueueProcessingStuck' && !cfg.queues.some((q) => q.processingPattern)) {
    return `${alert} is generated only for queues with a processingPattern; none of the queues has one (set one, or leave ${alert} out of this policy)`;
  }
  return undefined;
}

function checkPolicies(cfg: MixinConfig): void {
  for (const sev of ['critical', 'warning', 'info'] as const) {
    for (const k of ['groupInterval', 'repeatInterval'] as const) {
      nonZeroDuration(`alertmanager.timing.${sev}.${k}`, cfg.alertmanager.timing[sev][k]);
    }
  }
  const integrations = INTEGRATION_RECEIVERS.filter((k) => cfg.alertmanager.receivers[k]);
  const receiverNames: string[] = [...new Set(Object.values(SEVERITY_RECEIVERS)), ...integrations];
  const routedBy = new Map<string, number>();
  cfg.alertmanager.policies.forEach((p, i) => {
    const path = `alertmanager.policies[${i}]`;
    if (p.alerts.length === 0) throw new ConfigError(`${path}.alerts`, 'must name at least one alert');
    p.alerts.forEach((alert, j) => {
      if (!Object.hasOwn(ALERT_SEVERITIES, alert)) {
        throw new ConfigError(
          `${path}.alerts[${j}]`,
          `names no alert the mixin generates (got "${alert}"; valid: ${Object.keys(ALERT_SEVERITIES).sort().join(', ')})`,
        );
      }
      const why = notGeneratedBecause(cfg, alert);
      if (why) throw new ConfigError(`${path}.alerts[${j}]`, why);
      const other = routedBy.get(alert);
      if (other !== undefined) {
        throw new ConfigError(
          `${path}.alerts[${j}]`,
          `"${alert}" is already routed by alertmanager.policies[${other}] (an alert belongs to one policy: the first matching route wins, so the second would never apply)`,
        );
      }
      routedBy.set(alert, i);
    });
    if (p.receiver !== undefined && !receiverNames.includes(p.receiver)) {
      const integration = (INTEGRATION_RECEIVERS as readonly string[]).includes(p.receiver);
      throw new ConfigError(
        `${path}.receiver`,
        integration
          ? `names "${p.receiver}" but alertmanager.receivers.${p.receiver} is not configured (valid: ${quoteList(receiverNames)})`
          : `names no generated receiver (got "${p.receiver}"; valid: ${quoteList(receiverNames)})`,
      );
    }
    if (p.severity !== undefined) {
      for (const alert of p.alerts) {
        const has = ALERT_SEVERITIES[alert]!;
        if (has.length > 1) {
          throw new ConfigError(
            `${path}.severity`,
            `can only be set for alerts with one severity: ${alert} has ${has.join(' and ')} (route it in a policy without severity)`,
          );
        }
      }
    }
    if (p.groupWait !== undefined) duration(`${path}.groupWait`, p.groupWait);
    if (p.groupInterval !== undefined) nonZeroDuration(`${path}.groupInterval`, p.groupInterval);
    if (p.repeatInterval !== undefined) nonZeroDuration(`${path}.repeatInterval`, p.repeatInterval);
  });
}

// — scaling policy: the checks behind the call in checkConfig —

/** Kubernetes object names (RFC 1123 subdomain) and namespaces (RFC 1123 label). */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const K8S_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const K8S_LABEL_PART = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function wholeAtLeast(path: string, v: number, min: number): void {
  if (!(Number.isInteger(v) && v >= min))
    throw new ConfigError(path, `must be a whole number of at least ${min} (got ${v})`);
}

function checkScaling(cfg: MixinConfig): void {
  const p = cfg.scaling;
  ratio('scaling.scaleDownThreshold', p.scaleDownThreshold);
  // The load factor is clamped to 1: a scale-up threshold of 1 could never be exceeded.
  ratio('scaling.scaleUpThreshold', p.scaleUpThreshold);
  greater('scaling.scaleUpThreshold', p.scaleUpThreshold, 'scaling.scaleDownThreshold', p.scaleDownThreshold);
  wholeAtLeast('scaling.minWorkers', p.minWorkers, 1);
  wholeAtLeast('scaling.maxWorkers', p.maxWorkers, 1);
  if (p.maxWorkers < p.minWorkers)
    throw new ConfigError(
      'scaling.maxWorkers',
      `must be at least scaling.minWorkers (got ${p.maxWorkers} < ${p.minWorkers})`,
    );
  duration('scaling.stabilizationWindow', p.stabilizationWindow);
  if (durationSeconds(p.stabilizationWindow) <= 0)
    throw new ConfigError('scaling.stabilizationWindow', `must be longer than 0 (got ${p.stabilizationWindow})`);

  const k = cfg.kubernetes;
  if (k.workerDeployment.length > 253 || !K8S_NAME.test(k.workerDeployment))
    throw new ConfigError(
      'kubernetes.workerDeployment',
      `must be a Kubernetes object name: lower-case letters, digits, '-' and '.' (got "${k.workerDeployment}")`,
    );
  for (const [path, ns] of [
    ['kubernetes.namespace', k.namespace],
    ['kubernetes.workerNamespace', k.workerNamespace],
  ] as const) {
    if (ns !== undefined && (ns.length > 63 || !K8S_LABEL.test(ns)))
      throw new ConfigError(path, `must be a Kubernetes namespace: lower-case letters, digits and '-' (got "${ns}")`);
  }
  if (k.prometheusUrl !== undefined && !URL.canParse(k.prometheusUrl))
    throw new ConfigError('kubernetes.prometheusUrl', `must be an absolute URL (got "${k.prometheusUrl}")`);
  // The Secrets are referenced by name: a name the API server refuses would only fail at apply time.
  for (const [key, name] of Object.entries(k.app.secrets))
    if (name.length > 253 || !K8S_NAME.test(name))
      throw new ConfigError(
        `kubernetes.app.secrets.${key}`,
        `must be a Kubernetes object name: lower-case letters, digits, '-' and '.' (got "${name}")`,
      );
  for (const [key, image] of Object.entries(k.app.images))
    if (!image || /\s/.test(image))
      throw new ConfigError(`kubernetes.app.images.${key}`, `must be an image reference (got "${image}")`);
  wholeAtLeast('kubernetes.app.voteReplicas', k.app.voteReplicas, 1);
  // Labels the API server would refuse fail at apply time, long after the build said ok.
  for (const [path, labels] of [
    ['kubernetes.ruleLabels', k.ruleLabels],
    ['kubernetes.app.monitorLabels', k.app.monitorLabels ?? {}],
  ] as const)
    for (const [key, value] of Object.entries(labels)) {
      const [prefix, name] = key.includes('/')
        ? [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)]
        : ['', key];
      if ((prefix && (prefix.length > 253 || !K8S_NAME.test(prefix))) || !K8S_LABEL_PART.test(name))
        throw new ConfigError(
          `${path}.${key}`,
          "is not a Kubernetes label key: an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.' starting and ending alphanumeric",
        );
      if (value !== '' && !K8S_LABEL_PART.test(value))
        throw new ConfigError(
          `${path}.${key}`,
          `must be a Kubernetes label value: up to 63 letters, digits, '-', '_' or '.' starting and ending alphanumeric (got "${value}")`,
        );
    }
}

/**
 * A scrape target is `host:port`, as static_configs take it: a scheme or path there is a target
 * Prometheus refuses, reported before against a prometheus.yml the build then did not write.
 */
function checkTargets(cfg: MixinConfig): void {
  for (const [component, list] of Object.entries(cfg.prometheus.targets))
    list.forEach((t, i) => {
      if (!/^(\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+):\d{1,5}$/.test(t))
        throw new ConfigError(
          `prometheus.targets.${component}[${i}]`,
          `must be host:port, without a scheme or path (got "${t}")`,
        );
    });
}
