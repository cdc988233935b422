/**
 * prometheus.yml for the voting system: one scrape job per component's targets, rules, Alertmanager.
 *
 * A selector is a query, not a name: `job=~"vote-(eu|us)"` cannot be a `job_name`. Each job gets a
 * concrete name the selector provably selects — the equality value, else the matcher's example or
 * a value derived from its regex, else the component name — and the selector's other labels become
 * target labels, so the Prometheus this file configures feeds exactly the generated queries.
 */

import { ConfigError } from '../config/config-check.js';
import { targetLabels } from '../config/label-values.js';
import type { MixinConfig, Selectors } from '../config/mixin-config.js';
import type { Scope } from '../config/promql.js';
import { selects } from './scope-labels.js';

interface ScrapeJob {
  job_name: string;
  labels: Record<string, string>;
}

/** The job name and target labels for one component; `taken` holds the job_names already used. */
export function scrapeJob(scope: Scope, component: string, taken: ReadonlySet<string>): ScrapeJob {
  const path = `selectors.${component}`;
  // The same labels checkConfig proves no other component's selector selects.
  const target = targetLabels(scope, component);
  if (!target.ok) throw new ConfigError(`${path}${target.at}`, target.message);
  const { job, ...labels } = target.labels;
  // job_name must be unique per file; two components may share a job value and differ by another
  // label, and a target label `job` wins over job_name (Prometheus sets job only when it is absent).
  let name = job;
  for (let i = 1; taken.has(name); i++) name = i === 1 ? component : `${component}-${i}`;
  const out = name === job ? labels : { ...labels, job };
  if (selects(scope, { ...out, job }) === false)
    throw new ConfigError(path, `does not select its own generated scrape job (job="${job}"); add example values`);
  return { job_name: name, labels: out };
}

export function prometheusConfig(cfg: MixinConfig): Record<string, unknown> {
  const p = cfg.prometheus;
  // A component without targets (cAdvisor outside Compose) gets no job: an empty static_config would
  // be a job Prometheus keeps with nothing in it.
  const components = (Object.keys(p.targets) as Array<keyof Selectors & keyof typeof p.targets>).filter(
    (c) => p.targets[c].length > 0,
  );
  const taken = new Set<string>();
  return {
    global: { scrape_interval: p.scrapeInterval, evaluation_interval: p.evaluationInterval },
    rule_files: p.ruleFiles,
    alerting: { alertmanagers: [{ static_configs: [{ targets: p.targets.alertmanager }] }] },
    scrape_configs: components.map((c) => {
      const { job_name, labels } = scrapeJob(cfg.selectors[c], c, taken);
      taken.add(job_name);
      return {
        job_name,
        static_configs: [{ targets: p.targets[c], ...(Object.keys(labels).length ? { labels } : {}) }],
      };
    }),
  };
}
