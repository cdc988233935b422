/**
 * ServiceMonitors (prometheus-operator) that give every series the labels prometheus.yml gives it:
 * the generated rules and dashboards select `job` and the selectors' other labels, so a series
 * scraped through the operator must carry exactly what `scrapeJob()` computes for its component.
 *
 * The operator sets `job` to the Service's name; a ServiceMonitor's own `relabelings` run after its
 * defaults, so one `replace` per label sets the job and the selector's extra target labels
 * (overriding the operator's `namespace`, `container`… when a selector names those).
 *
 * Prometheus and Alertmanager are the operator's own: their ServiceMonitors select the governing
 * Services it creates (`prometheus-operated`, `alertmanager-operated`) in `kubernetes.namespace`.
 * cAdvisor runs under Compose only: on Kubernetes the kubelet serves its metrics (kube-prometheus
 * scrapes them as job="kubelet"), so it gets no ServiceMonitor here.
 */
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { MixinConfig, Selectors } from '../config/mixin-config.js';
import {
  APP_COMPONENTS,
  type AppComponent,
  appNamespace,
  METRICS_PORT,
  PART_OF,
  serviceName,
  serviceSelector,
  validated,
} from './k8s-app.js';
import { scrapeJob } from './prometheus-config.js';

type Component = keyof Selectors & keyof MixinConfig['prometheus']['targets'];

/** What a component's series carry: its `job` and the selector's other target labels. */
export interface JobLabels {
  job: string;
  labels: Record<string, string>;
}

/**
 * Every component with targets, with the labels prometheus.yml gives its targets: the same walk as
 * prometheusConfig() (components in order, job_names taken in turn), so names stay the same.
 */
export function scrapeJobLabels(cfg: MixinConfig): Map<Component, JobLabels> {
  const targets = cfg.prometheus.targets;
  const out = new Map<Component, JobLabels>();
  const taken = new Set<string>();
  for (const c of Object.keys(targets) as Component[]) {
    if (targets[c].length === 0) continue;
    const { job_name, labels } = scrapeJob(cfg.selectors[c], c, taken);
    taken.add(job_name);
    const { job = job_name, ...rest } = labels;
    out.set(c, { job, labels: rest });
  }
  return out;
}

/** The operator's governing Services (they carry these labels, and a `web` port). */
const OPERATED: Record<'prometheus' | 'alertmanager', Record<string, string>> = {
  prometheus: { 'operated-prometheus': 'true' },
  alertmanager: { 'operated-alertmanager': 'true' },
};

export const isAppComponent = (c: string): c is AppComponent => (APP_COMPONENTS as readonly string[]).includes(c);

/** `$` in a replacement is a capture reference (`$1`): a literal one is written `$$`. */
const literal = (v: string) => v.replace(/\$/g, '$$$$');

/** One `replace` per label, in a stable order (job first). */
export function jobRelabelings(j: JobLabels): Array<{ action: 'replace'; targetLabel: string; replacement: string }> {
  return [['job', j.job] as const, ...Object.entries(j.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))].map(
    ([targetLabel, value]) => ({ action: 'replace' as const, targetLabel, replacement: literal(value) }),
  );
}

export function serviceMonitor(cfg: MixinConfig, c: AppComponent | 'prometheus' | 'alertmanager', j: JobLabels) {
  const app = isAppComponent(c);
  const name = app ? serviceName(cfg, c) : c;
  const namespace = app ? appNamespace(cfg) : cfg.kubernetes.namespace;
  const labels = { ...(cfg.kubernetes.app.monitorLabels ?? cfg.kubernetes.ruleLabels), ...PART_OF };
  return validated(
    new ServiceMonitor({
      metadata: { name: app ? name : `voting-mixin-${c}`, namespace, labels },
      spec: {
        selector: { matchLabels: app ? serviceSelector(cfg, c) : OPERATED[c as 'prometheus' | 'alertmanager'] },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [
          {
            port: app ? METRICS_PORT : 'web',
            path: '/metrics',
            interval: cfg.prometheus.scrapeInterval,
            relabelings: jobRelabelings(j),
          },
        ],
      },
    }),
    `ServiceMonitor ${name}`,
  );
}

/** A ServiceMonitor for each component with targets that runs on Kubernetes. */
export function serviceMonitors(cfg: MixinConfig): Map<Component, ServiceMonitor> {
  const out = new Map<Component, ServiceMonitor>();
  for (const [c, j] of scrapeJobLabels(cfg))
    if (isAppComponent(c) || c === 'prometheus' || c === 'alertmanager') out.set(c, serviceMonitor(cfg, c, j));
  return out;
}
