/** prometheus.yml for the voting system: scrape jobs named by the config's selectors, rules, Alertmanager. */
import type { MixinConfig, Selectors } from '../config/mixin-config.js';
import type { Scope } from '../config/promql.js';

/** The job name a scope selects, if it selects one exactly; other equality labels become target labels. */
function jobAndLabels(scope: Scope, fallback: string): { job: string; labels: Record<string, string> } {
  let job = fallback;
  const labels: Record<string, string> = {};
  for (const [k, m] of Object.entries(scope)) {
    const v = typeof m === 'string' ? m : m.op === '=' ? m.value : undefined;
    if (v === undefined) continue;
    if (k === 'job') job = v;
    else labels[k] = v;
  }
  return { job, labels };
}

export function prometheusConfig(cfg: MixinConfig): Record<string, unknown> {
  const p = cfg.prometheus;
  const components = Object.keys(p.targets) as Array<keyof Selectors & keyof typeof p.targets>;
  return {
    global: { scrape_interval: p.scrapeInterval, evaluation_interval: p.evaluationInterval },
    rule_files: p.ruleFiles,
    alerting: { alertmanagers: [{ static_configs: [{ targets: p.targets.alertmanager }] }] },
    scrape_configs: components.map((c) => {
      const { job, labels } = jobAndLabels(cfg.selectors[c], c);
      return {
        job_name: job,
        static_configs: [{ targets: p.targets[c], ...(Object.keys(labels).length ? { labels } : {}) }],
      };
    }),
  };
}
