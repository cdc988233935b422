/**
 * Prometheus server configuration (prometheus.yml) as `promtool check config --syntax-only`
 * judges it: known top-level keys, durations in global and scrape configs, unique job names,
 * scrape_timeout not above scrape_interval, label names, and static targets whose address,
 * after the job's relabelling, is still a URL. Whether referenced files (rule_files,
 * credentials, TLS) exist is left out: it depends on the machine the config is deployed to.
 */
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { entries, type FileContext, get, isNull, scalarString } from '../context.js';
import { parseDuration } from '../duration.js';
import { kindOf } from '../rules/check-rules.js';
import { labelNameVerdict } from '../rules/names.js';
import { type Labels, relabel } from './relabel.js';

const ID = 'prometheus/config';
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
      if (labelNameVerdict(e.key) === 'invalid')
        ctx.report('schema/label-name', 'error', `invalid external label name ${JSON.stringify(e.key)}`, e.keyNode);
  const alerting = get(root, 'alerting');
  const ams = isMap(alerting) ? get(alerting, 'alertmanagers') : undefined;
  for (const am of isSeq(ams) ? ams.items : []) {
    if (!isMap(am)) continue;
    const prefix = scalarString(get(am, 'path_prefix')) ?? '/';
    const base = new Map([
      ['__scheme__', scalarString(get(am, 'scheme')) ?? 'http'],
      ['__alerts_path__', `${prefix.replace(/\/$/, '')}/api/v2/alerts`],
    ]);
    checkTargets(ctx, get(am, 'static_configs'), base, get(am, 'relabel_configs'), false);
  }
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
    else if (jobs.has(job))
      ctx.report(
        'prometheus/duplicate-job',
        'error',
        `found multiple scrape configs with job name ${JSON.stringify(job)}`,
        jn,
      );
    if (job) jobs.add(job);
    const interval = dur(s, 'scrape_interval') ?? gInterval;
    const timeout = dur(s, 'scrape_timeout') ?? Math.min(gTimeout, interval);
    if (timeout > interval)
      ctx.report(
        'prometheus/scrape-timeout',
        'error',
        `scrape timeout greater than scrape interval for scrape config with job name ${JSON.stringify(job)}`,
        get(s, 'scrape_timeout') ?? s,
      );
    const base = new Map([
      ['job', job ?? ''],
      ['__scheme__', scalarString(get(s, 'scheme')) ?? 'http'],
      ['__metrics_path__', scalarString(get(s, 'metrics_path')) ?? '/metrics'],
    ]);
    const params = get(s, 'params');
    if (isMap(params))
      for (const e of entries(params)) {
        const first = isSeq(e.value) ? scalarString(e.value.items[0] as Node) : undefined;
        if (first !== undefined) base.set(`__param_${e.key}`, first);
      }
    const statics = get(s, 'static_configs');
    checkTargets(ctx, statics, base, get(s, 'relabel_configs'), true);
    for (const sc of isSeq(statics) ? statics.items : []) {
      const targets = isMap(sc) ? get(sc, 'targets') : undefined;
      if (targets !== undefined && !isNull(targets) && !isSeq(targets))
        err('"targets" must be a list of host:port strings', targets);
      const labels = isMap(sc) ? get(sc, 'labels') : undefined;
      if (isMap(labels))
        for (const e of entries(labels))
          if (labelNameVerdict(e.key) === 'invalid')
            ctx.report('schema/label-name', 'error', `invalid label name ${JSON.stringify(e.key)}`, e.keyNode);
    }
  }
}

/**
 * Static targets as promtool checks them: labels of the group, the address, the job's
 * relabelling; a target that survives must have an address that is a host:port, not a URL.
 */
function checkTargets(
  ctx: FileContext,
  statics: unknown,
  base: Labels,
  relabelConfigs: unknown,
  scrape: boolean,
): void {
  if (!isSeq(statics)) return;
  const configs = isSeq(relabelConfigs) ? relabelConfigs.toJSON() : undefined;
  statics.items.forEach((sc, gi) => {
    if (!isMap(sc)) return;
    const targets = get(sc, 'targets');
    const groupLabels = get(sc, 'labels');
    if (!isSeq(targets)) return;
    targets.items.forEach((t, ti) => {
      const address = scalarString(t as Node);
      if (address === undefined) return;
      const labels = new Map(base);
      if (isMap(groupLabels))
        for (const e of entries(groupLabels)) labels.set(e.key, scalarString(e.value ?? undefined) ?? '');
      labels.set('__address__', address);
      const r = relabel(labels, configs);
      if (!r?.kept) return;
      const out = r.labels.get('__address__') ?? '';
      const where = scrape ? `instance ${ti} in group ${gi}: ` : '';
      if (scrape && !out)
        ctx.report('prometheus/target', 'error', `${where}no address left after relabelling`, t as Node);
      else if (out.includes('/'))
        ctx.report(
          'prometheus/target',
          'error',
          `${where}${JSON.stringify(out)} is not a valid hostname: a target is host:port (scheme and path go in "scheme" and "metrics_path"${out === address ? '' : `; relabelled from ${JSON.stringify(address)}`})`,
          t as Node,
        );
    });
  });
}
