/**
 * Prometheus server configuration (prometheus.yml): known top-level keys, durations in global and
 * scrape configs, unique job names, scrape_timeout not above scrape_interval, label names.
 */
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { entries, type FileContext, get, isNull, LABEL_NAME, scalarString } from '../context.js';
import { parseDuration } from '../duration.js';
import { kindOf } from '../rules/check-rules.js';

const ID = 'schema/prometheus';
const TOP = new Set([
  'global',
  'scrape_configs',
  'scrape_config_files',
  'rule_files',
  'alerting',
  'remote_write',
  'remote_read',
  'storage',
  'tracing',
  'otlp',
  'runtime',
]);

export function checkPrometheusConfig(ctx: FileContext, root: YAMLMap): void {
  const err = (msg: string, n: Node | null | undefined) => ctx.report(ID, 'error', msg, n ?? root);
  for (const e of entries(root))
    if (!TOP.has(e.key))
      err(`unknown field "${e.key}" in Prometheus config (valid: ${[...TOP].join(', ')})`, e.keyNode);
  const global = get(root, 'global');
  const gmap = isMap(global) ? global : undefined;
  const dur = (m: YAMLMap | undefined, k: string): number | undefined => {
    const n = get(m, k);
    if (n === undefined || isNull(n)) return undefined;
    const s = scalarString(n);
    const ms = s === undefined ? undefined : parseDuration(s);
    if (ms === undefined)
      ctx.report(
        'schema/duration',
        'error',
        `"${k}": not a valid duration string: ${JSON.stringify(s ?? kindOf(n))}`,
        n,
      );
    return ms;
  };
  const gInterval = dur(gmap, 'scrape_interval') ?? 60_000;
  const gTimeout = dur(gmap, 'scrape_timeout') ?? Math.min(10_000, gInterval);
  dur(gmap, 'evaluation_interval');
  const ext = get(gmap, 'external_labels');
  if (isMap(ext))
    for (const e of entries(ext))
      if (!LABEL_NAME.test(e.key))
        ctx.report('schema/label-name', 'error', `invalid external label name ${JSON.stringify(e.key)}`, e.keyNode);
  const rf = get(root, 'rule_files');
  if (rf !== undefined && !isNull(rf) && !isSeq(rf)) err('"rule_files" must be a list of paths or globs', rf);
  const scrapes = get(root, 'scrape_configs');
  if (scrapes !== undefined && !isNull(scrapes) && !isSeq(scrapes))
    err(`"scrape_configs" must be a list, got ${kindOf(scrapes)}`, scrapes);
  const jobs = new Set<string>();
  for (const s of isSeq(scrapes) ? scrapes.items : []) {
    if (!isMap(s)) {
      err('a scrape config must be a mapping with job_name', s as Node);
      continue;
    }
    const jn = get(s, 'job_name');
    const job = scalarString(jn);
    if (!job) err('"job_name" is empty or missing', jn ?? s);
    else if (jobs.has(job)) err(`found multiple scrape configs with job name ${JSON.stringify(job)}`, jn);
    if (job) jobs.add(job);
    const interval = dur(s, 'scrape_interval') ?? gInterval;
    const timeout = dur(s, 'scrape_timeout') ?? Math.min(gTimeout, interval);
    if (timeout > interval)
      err(
        `scrape timeout greater than scrape interval for scrape config with job name ${JSON.stringify(job)}`,
        get(s, 'scrape_timeout') ?? s,
      );
    const statics = get(s, 'static_configs');
    for (const sc of isSeq(statics) ? statics.items : []) {
      const targets = isMap(sc) ? get(sc, 'targets') : undefined;
      if (targets !== undefined && !isNull(targets) && !isSeq(targets))
        err('"targets" must be a list of host:port strings', targets);
      const labels = isMap(sc) ? get(sc, 'labels') : undefined;
      if (isMap(labels))
        for (const e of entries(labels))
          if (!LABEL_NAME.test(e.key))
            ctx.report('schema/label-name', 'error', `invalid label name ${JSON.stringify(e.key)}`, e.keyNode);
    }
  }
}
