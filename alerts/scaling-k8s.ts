/**
 * The autoscaling signal for the engines teams run, as typed, validated Kubernetes objects
 * (kubernetes-models, @kubernetes-models/keda): pick one of
 *  - KEDA: a ScaledObject with one Prometheus trigger per queue on
 *    `queue:worker_desired_replicas:count` (KEDA takes the highest);
 *  - the built-in HPA: an autoscaling/v2 HorizontalPodAutoscaler on the same series as an External
 *    metric, and the prometheus-adapter rule that serves it (a ConfigMap holding the adapter's
 *    config file; for the adapter's Helm chart, the same list goes under `rules.external`).
 *
 * Both target an AverageValue of 1 per replica, so the replica count is the signal itself, and set
 * no stabilisation of their own: the recorded signal already holds a scale-down for the config's
 * stabilizationWindow (a second window in the HPA would double it). Each object is validated
 * against its schema when built, so a config cannot produce an object the API server would refuse.
 */
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ConfigError } from '../config/config-check.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { durationSeconds } from '../config/promql.js';
import { recordings as r } from '../config/recordings.js';
import { GENERATED, toYaml } from './yaml-output.js';

const SIGNAL = r.queueWorkerDesiredReplicas;
/** The External metric's name: the recording's, with colons (not allowed there) as underscores. */
export const EXTERNAL_METRIC = SIGNAL.name.replace(/:/g, '_');

const PART_OF = { 'app.kubernetes.io/part-of': 'voting-mixin' };

const workerNamespace = (cfg: MixinConfig) => cfg.kubernetes.workerNamespace ?? cfg.kubernetes.namespace;
const prometheusUrl = (cfg: MixinConfig) => cfg.kubernetes.prometheusUrl ?? cfg.datasources.prometheus.url;

const target = (cfg: MixinConfig) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: cfg.kubernetes.workerDeployment,
});

/** The signal of one queue as one number: `max` so a pair of HA Prometheus replicas reads once. */
const signalQuery = (queue: string) => `max(${SIGNAL.name}{queue="${queue}"})`;

/** Scale-downs are already stabilised in the signal; scale-ups follow it at once. */
const behavior = {
  scaleUp: { stabilizationWindowSeconds: 0 },
  scaleDown: { stabilizationWindowSeconds: 0 },
};

/** Runs a model's schema validation; a failure is the config's (names, counts), said with its path. */
function validated<T extends { validate(): void }>(obj: T, what: string): T {
  try {
    obj.validate();
  } catch (e) {
    throw new ConfigError('kubernetes', `gives an invalid ${what}: ${(e as Error).message}`);
  }
  return obj;
}

export function kedaScaledObject(cfg: MixinConfig): ScaledObject {
  const p = cfg.scaling;
  return validated(
    new ScaledObject({
      metadata: { name: cfg.kubernetes.workerDeployment, namespace: workerNamespace(cfg), labels: PART_OF },
      spec: {
        scaleTargetRef: target(cfg),
        minReplicaCount: p.minWorkers,
        maxReplicaCount: p.maxWorkers,
        pollingInterval: Math.max(1, Math.round(durationSeconds(cfg.prometheus.evaluationInterval))),
        // Only used when scaling to zero (minReplicaCount 0); set to the policy's cooldown all the same.
        cooldownPeriod: durationSeconds(p.stabilizationWindow),
        advanced: { horizontalPodAutoscalerConfig: { behavior } },
        triggers: cfg.queues.map((q) => ({
          type: 'prometheus',
          name: `queue-${q.name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
          metricType: 'AverageValue',
          metadata: {
            serverAddress: prometheusUrl(cfg),
            query: signalQuery(q.name),
            threshold: '1',
            // No answer (Prometheus or the rules broken) is an error, so the HPA holds the current
            // count, instead of 0, which would scale the workers down to the minimum.
            ignoreNullValues: 'false',
          },
        })),
      },
    }),
    'KEDA ScaledObject',
  );
}

export function horizontalPodAutoscaler(cfg: MixinConfig): HorizontalPodAutoscaler {
  return validated(
    new HorizontalPodAutoscaler({
      metadata: { name: cfg.kubernetes.workerDeployment, namespace: workerNamespace(cfg), labels: PART_OF },
      spec: {
        scaleTargetRef: target(cfg),
        minReplicas: cfg.scaling.minWorkers,
        maxReplicas: cfg.scaling.maxWorkers,
        behavior,
        metrics: cfg.queues.map((q) => ({
          type: 'External',
          external: {
            metric: { name: EXTERNAL_METRIC, selector: { matchLabels: { queue: q.name } } },
            target: { type: 'AverageValue', averageValue: '1' },
          },
        })),
      },
    }),
    'HorizontalPodAutoscaler',
  );
}

/** prometheus-adapter's external rule for the signal (the Helm chart's `rules.external` entries). */
export function adapterExternalRules(): Array<Record<string, unknown>> {
  return [
    {
      seriesQuery: `${SIGNAL.name}{queue!=""}`,
      // The recorded series has no namespace label: do not add the HPA's namespace to the query.
      resources: { namespaced: false },
      name: { matches: `^${SIGNAL.name}$`, as: EXTERNAL_METRIC },
      metricsQuery: 'max(<<.Series>>{<<.LabelMatchers>>}) by (queue)',
    },
  ];
}

/** The adapter's config file (`--config`) in a ConfigMap; merge its rule into yours if you run one already. */
export function adapterConfigMap(cfg: MixinConfig): ConfigMap {
  return validated(
    new ConfigMap({
      metadata: { name: 'prometheus-adapter-voting-mixin', namespace: cfg.kubernetes.namespace, labels: PART_OF },
      data: { 'config.yaml': toYaml({ externalRules: adapterExternalRules() }) },
    }),
    'prometheus-adapter ConfigMap',
  );
}

/**
 * The two engines' folders, relative to the build's output. They sit below k8s/ so that the
 * natural `kubectl apply -f dist/k8s/` (not recursive) applies neither: both scale the same
 * Deployment (KEDA does it through an HPA of its own), and two autoscalers on one Deployment fight
 * over its replica count. A team applies one folder.
 */
export const KEDA_DIR = 'k8s/autoscaling/keda';
export const HPA_DIR = 'k8s/autoscaling/hpa';

/** The leading comment of an engine's file: what it is, and to apply its folder instead of the other. */
function header(what: string[], dir: string, other: string): string {
  return [
    GENERATED,
    ...what,
    `Apply this folder OR ../${other.slice(other.lastIndexOf('/') + 1)}, not both: both scale the same Deployment and would fight`,
    'over its replica count (KEDA scales through an HPA of its own). From the folder `build` wrote (dist/ by default):',
    `  kubectl apply -f dist/${dir}/`,
  ].join('\n# ');
}

/** The scaling outputs, relative to the build's output: one folder per engine. */
export function scalingManifests(cfg: MixinConfig): Map<string, string> {
  const yaml = (o: { toJSON(): unknown }, what: string[], dir: string, other: string) =>
    toYaml(o.toJSON(), header(what, dir, other));
  return new Map([
    [
      `${KEDA_DIR}/worker-scaledobject.yaml`,
      yaml(kedaScaledObject(cfg), ['Worker autoscaling with KEDA: a ScaledObject.'], KEDA_DIR, HPA_DIR),
    ],
    [
      `${HPA_DIR}/worker-hpa.yaml`,
      yaml(
        horizontalPodAutoscaler(cfg),
        ['Worker autoscaling with the built-in HPA, on an External metric served by prometheus-adapter-config.yaml.'],
        HPA_DIR,
        KEDA_DIR,
      ),
    ],
    [
      `${HPA_DIR}/prometheus-adapter-config.yaml`,
      yaml(
        adapterConfigMap(cfg),
        [
          "prometheus-adapter's config: the rule serving worker-hpa.yaml's External metric. Point the adapter's --config at",
          "it, or merge the rule into your adapter's (Helm chart: under rules.external).",
        ],
        HPA_DIR,
        KEDA_DIR,
      ),
    ],
  ]);
}
