/** What kind of artifact a parsed document is, judged by its shape, never by its file name. */
import { isMap, isSeq, type Node } from 'yaml';
import { get, scalarString } from './context.js';

export type FileKind =
  | 'rules'
  | 'prometheus-rule-crd'
  | 'prometheus-config'
  | 'alertmanager-config'
  | 'dashboard'
  | 'promtool-tests'
  | 'grafana-provisioning'
  | 'k8s-configmap'
  | 'empty'
  | 'unknown';

export function detectKind(contents: Node | null | undefined): FileKind {
  if (contents === null || contents === undefined) return 'empty';
  if (!isMap(contents)) return 'unknown';
  const kind = scalarString(get(contents, 'kind'));
  if (kind === 'PrometheusRule') return 'prometheus-rule-crd';
  if (kind === 'ConfigMap') return 'k8s-configmap';
  if (get(contents, 'tests') !== undefined && get(contents, 'rule_files') !== undefined) return 'promtool-tests';
  if (get(contents, 'groups') !== undefined) return 'rules';
  if (get(contents, 'route') !== undefined || get(contents, 'receivers') !== undefined) return 'alertmanager-config';
  if (get(contents, 'scrape_configs') !== undefined || get(contents, 'rule_files') !== undefined || get(contents, 'alerting') !== undefined) return 'prometheus-config';
  if (get(contents, 'panels') !== undefined || get(contents, 'schemaVersion') !== undefined) return 'dashboard';
  const wrapped = get(contents, 'dashboard');
  if (isMap(wrapped) && (get(wrapped, 'panels') !== undefined || get(wrapped, 'schemaVersion') !== undefined)) return 'dashboard';
  if (isSeq(get(contents, 'providers')) || isSeq(get(contents, 'datasources')) || get(contents, 'apiVersion') !== undefined) return 'grafana-provisioning';
  const global = get(contents, 'global');
  if (isMap(global) && (get(global, 'scrape_interval') !== undefined || get(global, 'evaluation_interval') !== undefined)) return 'prometheus-config';
  if (isMap(global) && (get(global, 'resolve_timeout') !== undefined || get(global, 'smtp_smarthost') !== undefined)) return 'alertmanager-config';
  return 'unknown';
}
