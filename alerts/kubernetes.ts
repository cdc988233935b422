/** prometheus-operator manifests: a PrometheusRule with every group, and the Alertmanager config as a Secret. */
import type { MixinConfig } from '../config/mixin-config.js';
import { ruleFileDoc } from './rule-files.js';
import type { RuleGroup } from './rule-types.js';

export function prometheusRule(cfg: MixinConfig, groups: RuleGroup[]): Record<string, unknown> {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'voting-mixin', namespace: cfg.kubernetes.namespace, labels: cfg.kubernetes.ruleLabels },
    spec: ruleFileDoc(groups),
  };
}

/**
 * The operator loads a full Alertmanager config from the Secret `alertmanager-<name>` (key
 * alertmanager.yaml). The *_file paths inside must be mounted into the Alertmanager pod
 * (`spec.secrets` of the Alertmanager resource mounts them under /etc/alertmanager/secrets/).
 */
export function alertmanagerSecret(cfg: MixinConfig, alertmanagerYaml: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'alertmanager-voting-mixin',
      namespace: cfg.kubernetes.namespace,
      labels: { 'app.kubernetes.io/part-of': 'voting-mixin' },
    },
    type: 'Opaque',
    stringData: { 'alertmanager.yaml': alertmanagerYaml },
  };
}
