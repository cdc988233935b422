/**
 * The `k8s` build target: the app (dist/k8s/app/: Deployment + Service + ServiceMonitor per
 * component), the ServiceMonitors of the operator's Prometheus and Alertmanager
 * (dist/k8s/monitoring/), and dist/k8s/kustomization.yaml, the Kustomize base
 * `kubectl apply -k dist/k8s` applies: those files, the other targets' PrometheusRule, Alertmanager
 * Secret and dashboard ConfigMaps, and the autoscaler `kubernetes.app.autoscaler` picks.
 *
 * The autoscalers keep their own folders, without a kustomization.yaml of their own, so
 * `kubectl apply -f dist/k8s/autoscaling/<engine>/` keeps working for a team that picks
 * `autoscaler: none` and applies one by hand. Pure.
 */
import type { MixinConfig } from '../config/mixin-config.js';
import { DASHBOARD_CONFIGMAPS_PATH } from '../dashboards/k8s-configmaps.js';
import { APP_COMPONENTS, appDeployment, appService, exporterConfigMap } from './k8s-app.js';
import { serviceMonitors } from './k8s-monitors.js';
import { scalingManifests } from './scaling-k8s.js';
import { GENERATED, toYaml } from './yaml-output.js';

export const KUSTOMIZATION_PATH = 'k8s/kustomization.yaml';
/** What the alerts target writes into the base (alerts/artifacts.ts). */
export const ALERT_K8S_FILES = ['k8s/prometheus-rule.yaml', 'k8s/alertmanager-config.yaml'];

const yamlDocs = (objects: Array<{ toJSON(): unknown }>, header: string) =>
  `# ${GENERATED}\n# ${header}\n${objects.map((o) => toYaml(o.toJSON())).join('---\n')}`;

/** The app's and the monitors' files, relative to dist/. */
export function k8sAppManifests(cfg: MixinConfig): Map<string, string> {
  const files = new Map<string, string>();
  const monitors = serviceMonitors(cfg);
  for (const c of APP_COMPONENTS) {
    // A component without scrape targets is one the team does not run (as in prometheus.yml).
    if (cfg.prometheus.targets[c].length === 0) continue;
    const monitor = monitors.get(c);
    const objects = [
      ...(c === 'exporter' ? [exporterConfigMap(cfg)] : []),
      appDeployment(cfg, c),
      appService(cfg, c),
      ...(monitor ? [monitor] : []),
    ];
    files.set(
      `k8s/app/${objects[c === 'exporter' ? 1 : 0]!.metadata!.name}.yaml`,
      yamlDocs(
        objects,
        `The ${c} component: ${c === 'exporter' ? 'its queues (ConfigMap), ' : ''}Deployment, Service and the ServiceMonitor giving its series job="${jobOf(monitor)}".`,
      ),
    );
  }
  for (const c of ['prometheus', 'alertmanager'] as const) {
    const monitor = monitors.get(c);
    if (!monitor) continue;
    files.set(
      `k8s/monitoring/${c}-servicemonitor.yaml`,
      yamlDocs(
        [monitor],
        `Scrapes the operator's ${c} (its governing Service ${c}-operated) as job="${jobOf(monitor)}", which the mixin's rules select.`,
      ),
    );
  }
  return files;
}

const jobOf = (m: { spec?: { endpoints?: Array<{ relabelings?: Array<{ replacement?: string }> }> } } | undefined) =>
  m?.spec?.endpoints?.[0]?.relabelings?.[0]?.replacement ?? '';

/** The autoscaler files the base applies (none: the team applies a folder by hand, or nothing). */
export function autoscalerFiles(cfg: MixinConfig): string[] {
  const engine = cfg.kubernetes.app.autoscaler;
  if (engine === 'none') return [];
  return [...scalingManifests(cfg).keys()].filter((p) => p.startsWith(`k8s/autoscaling/${engine}/`));
}

/** Kustomize resources are relative to the kustomization's folder. */
export function kustomization(cfg: MixinConfig, app: Iterable<string>): string {
  const resources = [...ALERT_K8S_FILES, DASHBOARD_CONFIGMAPS_PATH, ...app, ...autoscalerFiles(cfg)].map((p) =>
    p.slice('k8s/'.length),
  );
  const header = [
    GENERATED,
    'The Kustomize base of the voting system and its monitoring: kubectl apply -k dist/k8s',
    'Needs the prometheus-operator CRDs' +
      (cfg.kubernetes.app.autoscaler === 'keda' ? ' and KEDA' : '') +
      `, and the Secrets ${Object.values(cfg.kubernetes.app.secrets).join(', ')} (README: "Deploying on Kubernetes").`,
  ].join('\n# ');
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }, header);
}

/** Whether a path (relative to dist/) is one the k8s target writes: the app, the monitors, the base. */
export const k8sOwns = (rel: string): boolean =>
  rel === KUSTOMIZATION_PATH || rel.startsWith('k8s/app/') || rel.startsWith('k8s/monitoring/');

/** The files (relative to dist/) the kustomization lists that other targets write. */
export function k8sReferences(cfg: MixinConfig): string[] {
  return [...ALERT_K8S_FILES, DASHBOARD_CONFIGMAPS_PATH, ...autoscalerFiles(cfg)];
}

export function k8sArtifacts(cfg: MixinConfig): Map<string, string> {
  const files = k8sAppManifests(cfg);
  files.set(KUSTOMIZATION_PATH, kustomization(cfg, files.keys()));
  return files;
}
