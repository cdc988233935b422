/**
 * The voting system itself on Kubernetes (dist/k8s/app/): a Deployment and a Service for each
 * component the config runs — vote, result, worker, the queue exporter, postgres_exporter — as
 * typed objects (kubernetes-models), each validated against the upstream schema when built.
 *
 * A component runs when the config gives it scrape targets (`prometheus.targets`): the same test
 * prometheus.yml uses, so a team that leaves `result: []` gets neither a job nor a Deployment.
 * No secret is ever written: connection URLs and the cookie secret come from Secrets the team
 * creates (`kubernetes.app.secrets`), referenced by name and key.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { Service } from 'kubernetes-models/v1/Service';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { ConfigError } from '../config/config-check.js';
import type { MixinConfig } from '../config/mixin-config.js';
import { toYaml } from './yaml-output.js';

/** The components dist/k8s/app deploys, by their `selectors` key. */
export const APP_COMPONENTS = ['vote', 'result', 'worker', 'exporter', 'postgres'] as const;
export type AppComponent = (typeof APP_COMPONENTS)[number];

/** The keys the team's Secrets hold (README: "Deploying on Kubernetes"). */
export const SECRET_KEYS = {
  redisUrl: 'redis-url',
  databaseUrl: 'database-url',
  cookieSecret: 'cookie-secret',
  dataSourceName: 'data-source-name',
} as const;

export const PART_OF = { 'app.kubernetes.io/part-of': 'voting-mixin' };
/** The port every Service and container names its metrics port: the ServiceMonitors scrape it by name. */
export const METRICS_PORT = 'http';

/** The namespace of the app, next to the worker the autoscalers scale. */
export const appNamespace = (cfg: MixinConfig) => cfg.kubernetes.workerNamespace ?? cfg.kubernetes.namespace;

/** Runs a model's schema validation; a failure is the config's (names, counts), said with its path. */
export function validated<T extends { validate(): void }>(obj: T, what: string): T {
  try {
    obj.validate();
  } catch (e) {
    throw new ConfigError('kubernetes', `gives an invalid ${what}: ${(e as Error).message}`);
  }
  return obj;
}

interface Spec {
  /** Deployment, Service and container name. */
  name: string;
  image: string;
  /** Arguments to the image's entry point (the app image's is `node`). */
  args?: string[];
  port: number;
  live: string;
  ready: string;
  /** Seconds a readiness check may take: the worker's /ready asks Redis and PostgreSQL (2.5 s budget). */
  readyTimeout?: number;
  env: IEnvVar[];
  mounts?: IVolumeMount[];
  volumes?: IVolume[];
  replicas?: number;
  /** Memory request and limit (MiB): the services' measured RSS with room; CPU is requested, not capped below a core. */
  memoryMiB: [number, number];
  cpu: string;
  /** The image's user, numerically: runAsNonRoot cannot check a user name (node, nobody). */
  uid: number;
}

const secretEnv = (name: string, secret: string, key: string): IEnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** Node's images run as `node` (uid 1000); /tmp is the one writable place, as under Compose. */
const NODE_UID = 1000;
/** postgres_exporter's image runs as `nobody`. */
const NOBODY_UID = 65534;

export const EXPORTER_CONFIG_MAP = 'redis-queue-exporter-config';
const EXPORTER_CONFIG_DIR = '/etc/voting-mixin';
export const EXPORTER_CONFIG_FILE = 'voting-mixin.config.yaml';
const COOKIE_DIR = '/etc/voting-mixin/cookie';

/** A queue key the app can push to (the first queue's, when it names one key rather than a SCAN pattern). */
function queueKey(cfg: MixinConfig): IEnvVar[] {
  const key = cfg.queues[0]?.key;
  return key !== undefined && !/[*?[]/.test(key) ? [{ name: 'QUEUE_KEY', value: key }] : [];
}

function specs(cfg: MixinConfig): Record<AppComponent, Spec> {
  const k = cfg.kubernetes.app;
  const app = k.secrets.app;
  const redis = secretEnv('REDIS_URL', app, SECRET_KEYS.redisUrl);
  const db = secretEnv('DATABASE_URL', app, SECRET_KEYS.databaseUrl);
  const common = [redis, db, ...queueKey(cfg), { name: 'LOG_LEVEL', value: 'info' }];
  return {
    vote: {
      name: 'vote',
      image: k.images.app,
      args: ['reference-app/build/vote/main.js'],
      port: 8080,
      live: '/health',
      ready: '/ready',
      env: [
        ...common,
        { name: 'PORT', value: '8080' },
        // Every vote replica needs the same secret, or a voter's cookie is refused by the others.
        { name: 'COOKIE_SECRET_FILE', value: `${COOKIE_DIR}/${SECRET_KEYS.cookieSecret}` },
      ],
      mounts: [{ name: 'cookie-secret', mountPath: COOKIE_DIR, readOnly: true }],
      volumes: [
        {
          name: 'cookie-secret',
          secret: {
            secretName: k.secrets.voteCookie,
            items: [{ key: SECRET_KEYS.cookieSecret, path: SECRET_KEYS.cookieSecret }],
          },
        },
      ],
      replicas: k.voteReplicas,
      memoryMiB: [128, 256],
      cpu: '100m',
      uid: NODE_UID,
    },
    result: {
      name: 'result',
      image: k.images.app,
      args: ['reference-app/build/result/main.js'],
      port: 8082,
      live: '/health',
      ready: '/ready',
      // Reads PostgreSQL only (the tallies the worker stores).
      env: [db, { name: 'LOG_LEVEL', value: 'info' }, { name: 'PORT', value: '8082' }],
      memoryMiB: [128, 256],
      cpu: '100m',
      uid: NODE_UID,
    },
    worker: {
      name: cfg.kubernetes.workerDeployment,
      image: k.images.app,
      args: ['reference-app/build/worker/main.js'],
      port: 9102,
      live: '/health',
      ready: '/ready',
      readyTimeout: 3,
      // WORKER_ID defaults to host-pid-random: the pod name, so every replica has its own processing list.
      env: [...common, { name: 'PORT', value: '9102' }],
      // An autoscaler owns the count: a `replicas` here would reset it to the minimum on every apply.
      replicas: k.autoscaler === 'none' ? cfg.scaling.minWorkers : undefined,
      memoryMiB: [128, 256],
      cpu: '100m',
      uid: NODE_UID,
    },
    exporter: {
      name: 'redis-queue-exporter',
      image: k.images.app,
      // As docker-compose.yml runs it: one bundled file, V8 tuned for a small heap.
      args: ['--optimize-for-size', 'exporters/redis-queue/build/redis-queue-exporter.js'],
      port: 9121,
      live: '/health',
      ready: '/health',
      env: [
        { name: 'LISTEN_ADDRESS', value: '0.0.0.0:9121' },
        redis,
        { name: 'MIXIN_CONFIG', value: `${EXPORTER_CONFIG_DIR}/${EXPORTER_CONFIG_FILE}` },
      ],
      mounts: [{ name: 'config', mountPath: EXPORTER_CONFIG_DIR, readOnly: true }],
      volumes: [{ name: 'config', configMap: { name: EXPORTER_CONFIG_MAP } }],
      // Its budget is 80 MiB RSS (docs/EXPORTER.md).
      memoryMiB: [96, 128],
      cpu: '50m',
      uid: NODE_UID,
    },
    postgres: {
      name: 'postgres-exporter',
      image: k.images.postgresExporter,
      args: ['--web.listen-address=:9187'],
      port: 9187,
      // No /health: its landing page answers without asking PostgreSQL (/metrics would, every probe).
      live: '/',
      ready: '/',
      env: [secretEnv('DATA_SOURCE_NAME', k.secrets.postgresExporter, SECRET_KEYS.dataSourceName)],
      memoryMiB: [64, 128],
      cpu: '50m',
      uid: NOBODY_UID,
    },
  };
}

const componentLabels = (c: AppComponent, s: Spec) => ({
  'app.kubernetes.io/name': s.name,
  'app.kubernetes.io/component': c,
  ...PART_OF,
});
const selectorLabels = (s: Spec) => ({ 'app.kubernetes.io/name': s.name, ...PART_OF });

function container(cfg: MixinConfig, s: Spec): IContainer {
  const probe = (path: string, timeoutSeconds = 1) => ({
    httpGet: { path, port: METRICS_PORT },
    periodSeconds: 10,
    timeoutSeconds,
    failureThreshold: 3,
  });
  return {
    name: s.name,
    image: s.image,
    imagePullPolicy: cfg.kubernetes.app.imagePullPolicy,
    ...(s.args ? { args: s.args } : {}),
    ports: [{ name: METRICS_PORT, containerPort: s.port, protocol: 'TCP' }],
    env: s.env,
    // Started = listening; the liveness probe then only restarts a process that stopped answering.
    startupProbe: { ...probe(s.live), periodSeconds: 2, failureThreshold: 30 },
    livenessProbe: probe(s.live),
    readinessProbe: probe(s.ready, s.readyTimeout),
    resources: {
      requests: { cpu: s.cpu, memory: `${s.memoryMiB[0]}Mi` },
      limits: { cpu: '1', memory: `${s.memoryMiB[1]}Mi` },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: s.uid,
      runAsGroup: s.uid,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...(s.mounts ?? [])],
  };
}

export function appDeployment(cfg: MixinConfig, c: AppComponent): Deployment {
  const s = specs(cfg)[c];
  return validated(
    new Deployment({
      metadata: { name: s.name, namespace: appNamespace(cfg), labels: componentLabels(c, s) },
      spec: {
        ...(s.replicas !== undefined ? { replicas: s.replicas } : {}),
        selector: { matchLabels: selectorLabels(s) },
        template: {
          metadata: {
            labels: componentLabels(c, s),
            // The exporter reads its queues once, at start: a changed ConfigMap must roll its pods.
            ...(c === 'exporter'
              ? { annotations: { 'voting-mixin/queues-hash': fnv1a(exporterConfigText(cfg)) } }
              : {}),
          },
          spec: {
            // The services never talk to the API server.
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [container(cfg, s)],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }, ...(s.volumes ?? [])],
          },
        },
      },
    }),
    `Deployment ${s.name}`,
  );
}

export function appService(cfg: MixinConfig, c: AppComponent): Service {
  const s = specs(cfg)[c];
  return validated(
    new Service({
      metadata: { name: s.name, namespace: appNamespace(cfg), labels: componentLabels(c, s) },
      spec: {
        selector: selectorLabels(s),
        ports: [{ name: METRICS_PORT, port: s.port, targetPort: METRICS_PORT, protocol: 'TCP' }],
      },
    }),
    `Service ${s.name}`,
  );
}

/** The labels of a component's Service, which its ServiceMonitor selects. */
export const serviceSelector = (cfg: MixinConfig, c: AppComponent) => selectorLabels(specs(cfg)[c]);
export const serviceName = (cfg: MixinConfig, c: AppComponent) => specs(cfg)[c].name;

const exporterConfigText = (cfg: MixinConfig) => toYaml({ queues: cfg.queues });

/** FNV-1a, 32 bits, hex: a change detector, not a security hash. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The exporter's queues: the one part of the mixin config it reads (MIXIN_CONFIG). */
export function exporterConfigMap(cfg: MixinConfig): ConfigMap {
  return validated(
    new ConfigMap({
      metadata: { name: EXPORTER_CONFIG_MAP, namespace: appNamespace(cfg), labels: PART_OF },
      data: { [EXPORTER_CONFIG_FILE]: exporterConfigText(cfg) },
    }),
    'queue exporter ConfigMap',
  );
}
