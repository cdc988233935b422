/** What kind of artifact a parsed document is, judged by its shape, never by its file name. */
import { isMap, isSeq, type Node } from 'yaml';
import { get, scalarString } from './context.js';
import { field, isPlainMap, isPlainSeq, plainString } from './plain.js';

export type FileKind =
  | 'rules'
  | 'prometheus-rule-crd'
  | 'prometheus-config'
  | 'alertmanager-config'
  | 'dashboard'
  | 'promtool-tests'
  | 'grafana-provisioning'
  | 'k8s-configmap'
  | 'k8s-list'
  | 'k8s-autoscaler'
  | 'k8s-object'
  | 'file-sd'
  | 'empty'
  | 'unknown';

/** The few questions detection asks, for `yaml` nodes and for plain values alike. */
interface Shape<T> {
  isMap(v: T | null | undefined): boolean;
  isSeq(v: T | null | undefined): boolean;
  items(v: T): readonly (T | null | undefined)[];
  get(map: T, key: string): T | null | undefined;
  str(v: T | null | undefined): string | undefined;
}

const nodeShape: Shape<Node> = {
  isMap,
  isSeq,
  items: (v) => (isSeq(v) ? (v.items as Node[]) : []),
  get: (m, k) => get(m as never, k),
  str: scalarString,
};
const plainShape: Shape<unknown> = {
  isMap: isPlainMap,
  isSeq: isPlainSeq,
  items: (v) => (isPlainSeq(v) ? v : []),
  get: (m, k) => field(m as never, k),
  str: plainString,
};

function detect<T>(s: Shape<T>, contents: T | null | undefined): FileKind {
  if (contents === null || contents === undefined) return 'empty';
  const get = (m: T, k: string) => s.get(m, k);
  // Prometheus file_sd target files: a list of {targets, labels} groups.
  if (s.isSeq(contents))
    return s
      .items(contents)
      .some((g) => s.isMap(g) && (get(g as T, 'targets') !== undefined || get(g as T, 'labels') !== undefined))
      ? 'file-sd'
      : 'unknown';
  // `---` with nothing after it (an empty document before the real one) is a null scalar.
  if (!s.isMap(contents) && s.str(contents) === undefined) return 'empty';
  if (!s.isMap(contents)) return 'unknown';
  const kind = s.str(get(contents, 'kind'));
  if (kind === 'PrometheusRule') return 'prometheus-rule-crd';
  // ConfigMaps and Secrets carry dashboards, Alertmanager configs and rule files as text.
  if (kind === 'ConfigMap' || kind === 'Secret') return 'k8s-configmap';
  if (kind === 'List' || (kind?.endsWith('List') && s.isSeq(get(contents, 'items')))) return 'k8s-list';
  // Autoscalers driven by Prometheus (the build writes both beside the rules): a KEDA ScaledObject,
  // whose prometheus triggers hold PromQL, and an autoscaling/v2 HorizontalPodAutoscaler.
  const apiVersion = s.str(get(contents, 'apiVersion')) ?? '';
  if (
    (kind === 'ScaledObject' && apiVersion.startsWith('keda.sh/')) ||
    (kind === 'HorizontalPodAutoscaler' && apiVersion.startsWith('autoscaling/'))
  )
    return 'k8s-autoscaler';
  // What a monitoring bundle deploys beside its rules, holding no PromQL: scrape objects, a
  // Kustomize base, and the objects `build` writes (labelled part-of voting-mixin). Another
  // Deployment or Service stays unknown (noted, or an error when it is all a named file holds).
  if (
    ((kind === 'ServiceMonitor' || kind === 'PodMonitor') && apiVersion.startsWith('monitoring.coreos.com/')) ||
    (kind === 'Kustomization' && apiVersion.startsWith('kustomize.config.k8s.io/')) ||
    (kind !== undefined && partOfMixin(s, contents))
  )
    return 'k8s-object';
  // promtool unit-test files: `tests:` groups; rule_files may be absent (expression-only tests).
  const tests = get(contents, 'tests');
  if (
    s.isSeq(tests) &&
    (get(contents, 'rule_files') !== undefined ||
      get(contents, 'evaluation_interval') !== undefined ||
      s.items(tests as T).some((t) => s.isMap(t) && get(t as T, 'input_series') !== undefined))
  )
    return 'promtool-tests';
  if (tests !== undefined && get(contents, 'rule_files') !== undefined) return 'promtool-tests';
  // Grafana provisioning (`apiVersion: 1`; its alerting files have `groups:` too, of Grafana
  // rules, not Prometheus ones). A Kubernetes object's apiVersion is a string such as apps/v1.
  if (/^\d+$/.test(s.str(get(contents, 'apiVersion')) ?? '') && kind === undefined) return 'grafana-provisioning';
  if (get(contents, 'groups') !== undefined) return 'rules';
  if (get(contents, 'route') !== undefined || get(contents, 'receivers') !== undefined) return 'alertmanager-config';
  if (
    get(contents, 'scrape_configs') !== undefined ||
    get(contents, 'rule_files') !== undefined ||
    get(contents, 'alerting') !== undefined
  )
    return 'prometheus-config';
  if (get(contents, 'panels') !== undefined || get(contents, 'schemaVersion') !== undefined) return 'dashboard';
  const wrapped = get(contents, 'dashboard');
  if (
    s.isMap(wrapped) &&
    (get(wrapped as T, 'panels') !== undefined || get(wrapped as T, 'schemaVersion') !== undefined)
  )
    return 'dashboard';

  const global = get(contents, 'global');
  if (
    s.isMap(global) &&
    (get(global as T, 'scrape_interval') !== undefined || get(global as T, 'evaluation_interval') !== undefined)
  )
    return 'prometheus-config';
  if (
    s.isMap(global) &&
    (get(global as T, 'resolve_timeout') !== undefined || get(global as T, 'smtp_smarthost') !== undefined)
  )
    return 'alertmanager-config';
  return 'unknown';
}

function partOfMixin<T>(s: Shape<T>, contents: T): boolean {
  const metadata = s.get(contents, 'metadata');
  const labels = metadata !== undefined && s.isMap(metadata) ? s.get(metadata as T, 'labels') : undefined;
  return (
    labels !== undefined && s.isMap(labels) && s.str(s.get(labels as T, 'app.kubernetes.io/part-of')) === 'voting-mixin'
  );
}

export const detectKind = (contents: Node | null | undefined): FileKind => detect(nodeShape, contents);
/** The same judgement on a plain value (js-yaml's or JSON.parse's output). */
export const detectPlainKind = (contents: unknown): FileKind => detect(plainShape, contents);
