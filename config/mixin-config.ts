/**
 * The mixin's one configuration object: selectors, queues, thresholds, SLOs, Grafana and
 * Alertmanager settings. Every builder is a function of a `MixinConfig`.
 *
 * `defineConfig(overrides)` (define-config.ts) deep-merges typed overrides onto `defaultConfig` (arrays replace) and
 * checks the result; `parseConfig(unknown)` does the same for a YAML/JSON file's contents after
 * the JSON Schema generated from this file's types (config.schema.json, `npm run gen:schemas`) has checked its shape. Both throw `ConfigError` naming the
 * config path (`queues[0].critical`).
 */
import type { Duration, Scope } from './promql.js';

export type QueueType = 'auto' | 'list' | 'stream' | 'zset' | 'set' | 'hash';

export interface QueueConfig {
  /** The `queue` label value and the name in dashboards and alerts. */
  name: string;
  /** A Redis key, or a SCAN pattern (contains `*`, `?` or `[`) matching several keys. */
  key: string;
  /** Detected with TYPE when `auto`. */
  type: QueueType;
  /** SCAN pattern of the reliable-queue processing lists (one per consumer), if any. */
  processingPattern?: string;
  /** Backlog above which a warning fires. */
  warning: number;
  /** Backlog above which a critical alert fires (the plan: > 500 unprocessed votes for 5 minutes). */
  critical: number;
  /** How long the backlog must stay above a threshold before the alert fires. */
  for: Duration;
  /** Threshold for the stricter averaged variant: avg_over_time(length[5m]) > averagedCritical. */
  averagedCritical: number;
  /** Oldest waiting item age thresholds, in seconds. */
  oldestAgeWarningSeconds: number;
  oldestAgeCriticalSeconds: number;
  /** Backlog drain time the desired-workers signal aims for, in seconds. */
  drainTargetSeconds: number;
}

export interface Selectors {
  /** Matchers inserted in every query about that component, e.g. `{ job: 'vote' }`. */
  vote: Scope;
  /** The result service (live tallies page, GET /results). */
  result: Scope;
  worker: Scope;
  exporter: Scope;
  /** postgres_exporter in front of the PostgreSQL the worker writes to. */
  postgres: Scope;
  /** cAdvisor (container CPU, memory, restarts): Compose only; its panels stay hidden where it does not run. */
  cadvisor: Scope;
  prometheus: Scope;
  alertmanager: Scope;
}

export interface Thresholds {
  vote: {
    errorRatioWarning: number;
    errorRatioCritical: number;
    latencyP95WarningSeconds: number;
    latencyP95CriticalSeconds: number;
  };
  worker: {
    failureRatioWarning: number;
    failureRatioCritical: number;
    processingP95WarningSeconds: number;
    /** Seconds since last success above which the worker counts as unhealthy on the dashboards. */
    lastSuccessMaxAgeSeconds: number;
    /** Share of the DB pool in use (plus waiting clients) that counts as exhausted. */
    dbPoolSaturationRatio: number;
  };
  redis: {
    memoryWarningRatio: number;
    memoryCriticalRatio: number;
    clientsWarningRatio: number;
    /** RSS over used memory above which RedisMemoryFragmentationHigh warns (1 is no fragmentation). */
    fragmentationWarningRatio: number;
    /**
     * Bytes RSS must exceed used memory by before fragmentation alerts: a Redis holding a few MB
     * reads a ratio of 5 or more from its allocator's fixed overhead alone.
     */
    fragmentationMinBytes: number;
    /** Seconds since a replica's last acknowledgement above which RedisReplicaLagHigh warns (a healthy one reads 0 or 1). */
    replicaLagWarningSeconds: number;
  };
  exporter: {
    scrapeDurationWarningSeconds: number;
  };
  /** PostgreSQL server side, from postgres_exporter. */
  postgres: {
    /** Connections over max_connections above which PostgresTooManyConnections warns. */
    connectionsWarningRatio: number;
    /** Database growth per day (bytes) above which the size-growth alert warns. */
    sizeGrowthWarningBytesPerDay: number;
  };
  /** Bands of the 0–100 health score on the dashboards: >= healthy is green, >= warning amber, below red. */
  health: {
    healthy: number;
    warning: number;
  };
}

export interface SloConfig {
  /** The SLO period the burn-rate factors are derived from. */
  period: Duration;
  availability: { target: number };
  latency: { target: number; thresholdSeconds: number };
}

export interface AlertTiming {
  /** Range window of the rate()s in alert expressions. */
  rateWindow: Duration;
  /** Default `for` of alerts that do not have their own. */
  defaultFor: Duration;
  /** `for` of "is down" alerts (Redis, instances, the worker). */
  downFor: Duration;
  /** How long a queue may be non-empty with nothing processed before WorkerStalled fires. */
  stalledFor: Duration;
  /** How long enqueue must outpace dequeue before QueueGrowing fires. */
  growingFor: Duration;
  /** keep_firing_for on flapping-prone alerts (Prometheus >= 2.42). */
  keepFiringFor: Duration;
  /** Per-alert `for` overrides by alert name — how the end-to-end tests compress time. */
  forOverrides: Record<string, Duration>;
}

export interface DatasourceRef {
  /** Name of the provisioned datasource and the default of the dashboard's datasource variable. */
  name: string;
  uid: string;
  /** URL Grafana's provisioned datasource points at (the docker-compose service by default). */
  url: string;
}

export interface GrafanaConfig {
  uidPrefix: string;
  titlePrefix: string;
  tags: string[];
  refresh: string;
  timezone: 'utc' | 'browser' | string;
  timeFrom: string;
  /** Base URL used in alerts' dashboard_url annotations. */
  url: string;
  /** Folder for provisioned dashboards. */
  folder: string;
}

export interface ReceiverSecrets {
  webhook?: { url: string } | { urlFile: string };
  slack?: { apiUrlFile: string; channel: string };
  email?: { to: string; from: string; smarthost: string; authUsername?: string; authPasswordFile?: string };
}

export interface RouteTiming {
  groupWait: Duration;
  groupInterval: Duration;
  repeatInterval: Duration;
}

/**
 * A notification policy for some alerts: its own route in the generated Alertmanager tree, placed
 * before the per-severity routes. Unset fields fall back to the severity's `timing`.
 */
export interface NotificationPolicy {
  /** Alert names (the `alertname` label) this policy routes. */
  alerts: string[];
  /**
   * One of the generated receivers (`critical-pager`, `warning-chat`, `null`), or one integration
   * alone (`webhook`, `slack`, `email`, when configured); default: the severity's receiver.
   */
  receiver?: string;
  /** Overrides the `severity` label of these alerts' rules (only for alerts with one severity). */
  severity?: 'critical' | 'warning' | 'info';
  groupWait?: Duration;
  groupInterval?: Duration;
  /** How long before a still-firing alert is sent again: the cooldown. */
  repeatInterval?: Duration;
}

export interface AlertmanagerConfig {
  /**
   * The integrations notifications go to. A config's receivers replace these as a whole (no merge);
   * the defaults have none, so alerts route to the no-op receiver (and `build` says so) until a
   * team names its own.
   */
  receivers: ReceiverSecrets;
  timing: { critical: RouteTiming; warning: RouteTiming; info: RouteTiming };
  /** Per-alert routes (cooldowns, receivers, severities); a config's list replaces the default one. */
  policies: NotificationPolicy[];
}

/**
 * How many workers the desired-replicas signal asks for, from the 0–1 load factor (worker
 * utilisation). Between the thresholds the count holds steady, so steady load does not flap.
 */
export interface ScalingConfig {
  /** Load factor above which more workers are wanted. */
  scaleUpThreshold: number;
  /** Load factor below which fewer workers are wanted. */
  scaleDownThreshold: number;
  /** A lower recommendation must hold this long before it is followed (scale-down stabilisation, the cooldown). */
  stabilizationWindow: Duration;
  minWorkers: number;
  maxWorkers: number;
}

export interface PrometheusConfig {
  scrapeInterval: Duration;
  evaluationInterval: Duration;
  /** Static targets for the generated scrape config (host:port). */
  targets: {
    vote: string[];
    result: string[];
    worker: string[];
    exporter: string[];
    postgres: string[];
    /** Empty (the default) means no cAdvisor scrape job: it runs under Compose, not beside a plain install. */
    cadvisor: string[];
    prometheus: string[];
    alertmanager: string[];
  };
  /** Where the generated prometheus.yml finds rule files, relative to itself. */
  ruleFiles: string[];
}

export interface KubernetesConfig {
  namespace: string;
  /** Labels on the PrometheusRule so the operator's ruleSelector picks it up. */
  ruleLabels: Record<string, string>;
  /** Label the Grafana sidecar watches for dashboard ConfigMaps. */
  dashboardLabel: string;
  /** The worker Deployment the generated KEDA ScaledObject and HorizontalPodAutoscaler scale. */
  workerDeployment: string;
  /** Namespace of the worker Deployment (the autoscaler objects go there); default: `namespace`. */
  workerNamespace?: string;
  /** Prometheus URL KEDA and prometheus-adapter query from inside the cluster; default: `datasources.prometheus.url`. */
  prometheusUrl?: string;
  /** The app and exporters `kubectl apply -k dist/k8s` deploys, in `workerNamespace` (default: `namespace`). */
  app: KubernetesAppConfig;
}

/** The Deployments, Services and ServiceMonitors of dist/k8s/app (alerts/k8s-app.ts). */
export interface KubernetesAppConfig {
  images: {
    /** The one image of every Node service (the Dockerfile's; docker-compose.yml's `image`). */
    app: string;
    postgresExporter: string;
  };
  /** `IfNotPresent` suits an image loaded into the cluster (`kind load docker-image`) as well as a registry's. */
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * Secrets the team creates (never generated, so no secret is in dist/): `app` with keys `redis-url`
   * and `database-url`, `voteCookie` with `cookie-secret` (the vote service's signing secret(s), one a
   * line), `postgresExporter` with `data-source-name` (postgres_exporter's DATA_SOURCE_NAME).
   */
  secrets: { app: string; voteCookie: string; postgresExporter: string };
  /** @minimum 1 */
  voteReplicas: number;
  /** Labels on the ServiceMonitors for the operator's serviceMonitorSelector; default: `ruleLabels`. */
  monitorLabels?: Record<string, string>;
  /**
   * The worker autoscaler `kubectl apply -k dist/k8s` applies: KEDA's ScaledObject, the built-in HPA
   * (with prometheus-adapter), or none (the worker keeps `scaling.minWorkers` replicas).
   */
  autoscaler: 'keda' | 'hpa' | 'none';
}

export interface MixinConfig {
  selectors: Selectors;
  queues: QueueConfig[];
  thresholds: Thresholds;
  slo: SloConfig;
  alerts: AlertTiming;
  datasources: { prometheus: DatasourceRef; loki: DatasourceRef };
  grafana: GrafanaConfig;
  /**
   * runbook_url = runbookBaseUrl + AlertName + '.md'. The default is the reference app's
   * alert-receiver (Compose, the demo), which serves dist/runbooks rendered as HTML; a wiki that
   * hosts the generated markdown works the same way.
   */
  runbookBaseUrl: string;
  prometheus: PrometheusConfig;
  alertmanager: AlertmanagerConfig;
  scaling: ScalingConfig;
  kubernetes: KubernetesConfig;
}

export const defaultConfig: MixinConfig = {
  selectors: {
    vote: { job: 'vote' },
    result: { job: 'result' },
    worker: { job: 'worker' },
    exporter: { job: 'redis-queue-exporter' },
    postgres: { job: 'postgres' },
    cadvisor: { job: 'cadvisor' },
    prometheus: { job: 'prometheus' },
    alertmanager: { job: 'alertmanager' },
  },
  queues: [
    {
      name: 'votes',
      key: 'votes',
      type: 'list',
      processingPattern: 'votes:processing:*',
      warning: 200,
      critical: 500,
      for: '5m',
      averagedCritical: 1000,
      oldestAgeWarningSeconds: 60,
      oldestAgeCriticalSeconds: 300,
      drainTargetSeconds: 300,
    },
  ],
  thresholds: {
    vote: {
      errorRatioWarning: 0.01,
      errorRatioCritical: 0.05,
      latencyP95WarningSeconds: 0.5,
      latencyP95CriticalSeconds: 1,
    },
    worker: {
      failureRatioWarning: 0.01,
      failureRatioCritical: 0.05,
      processingP95WarningSeconds: 1,
      lastSuccessMaxAgeSeconds: 300,
      dbPoolSaturationRatio: 0.9,
    },
    redis: {
      memoryWarningRatio: 0.8,
      memoryCriticalRatio: 0.9,
      clientsWarningRatio: 0.85,
      // Redis's own yardsticks: MEMORY DOCTOR reports high fragmentation above 1.4, active defrag
      // ignores less than 100 MiB of waste (active-defrag-ignore-bytes), and a replica lags when
      // its last acknowledgement is older than min-replicas-max-lag (10 s).
      fragmentationWarningRatio: 1.4,
      fragmentationMinBytes: 104857600,
      replicaLagWarningSeconds: 10,
    },
    exporter: {
      scrapeDurationWarningSeconds: 1,
    },
    postgres: { connectionsWarningRatio: 0.8, sizeGrowthWarningBytesPerDay: 1024 ** 3 },
    health: { healthy: 90, warning: 70 },
  },
  slo: {
    period: '30d',
    availability: { target: 0.999 },
    latency: { target: 0.99, thresholdSeconds: 0.5 },
  },
  alerts: {
    rateWindow: '5m',
    defaultFor: '5m',
    downFor: '1m',
    stalledFor: '5m',
    growingFor: '10m',
    keepFiringFor: '0s',
    forOverrides: {},
  },
  datasources: {
    prometheus: { name: 'Prometheus', uid: 'prometheus', url: 'http://prometheus:9090' },
    loki: { name: 'Loki', uid: 'loki', url: 'http://loki:3100' },
  },
  grafana: {
    uidPrefix: 'voting',
    titlePrefix: 'Voting / ',
    tags: ['voting-mixin'],
    refresh: '30s',
    timezone: 'utc',
    timeFrom: 'now-1h',
    url: 'http://localhost:3000',
    folder: 'Voting',
  },
  runbookBaseUrl: 'http://localhost:5001/runbooks/',
  prometheus: {
    scrapeInterval: '15s',
    evaluationInterval: '15s',
    targets: {
      vote: ['localhost:8080', 'localhost:8081'],
      result: ['localhost:8082'],
      worker: ['localhost:9102'],
      exporter: ['localhost:9121'],
      postgres: ['localhost:9187'],
      cadvisor: [],
      prometheus: ['localhost:9090'],
      alertmanager: ['localhost:9093'],
    },
    ruleFiles: ['rules/*.yml'],
  },
  alertmanager: {
    // No integration: a built-in default would page an address nobody reads. The demo and
    // Compose configs name their webhook receiver.
    receivers: {},
    timing: {
      critical: { groupWait: '10s', groupInterval: '1m', repeatInterval: '1h' },
      warning: { groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' },
      info: { groupWait: '1m', groupInterval: '10m', repeatInterval: '24h' },
    },
    // The operations plan's cooldowns. "Queue system down" is nothing consuming the queue: the
    // workers are down, absent or stalled (RedisDown is the queue's storage; it has its own row).
    policies: [
      { alerts: ['RedisDown'], severity: 'critical', repeatInterval: '5m' },
      { alerts: ['RedisMemoryHigh'], repeatInterval: '15m' },
      { alerts: ['WorkerDown', 'WorkerAbsent', 'WorkerStalled'], severity: 'critical', repeatInterval: '5m' },
      { alerts: ['WorkerHighFailureRatio'], repeatInterval: '30m' },
    ],
  },
  scaling: {
    scaleUpThreshold: 0.8,
    scaleDownThreshold: 0.3,
    stabilizationWindow: '5m',
    minWorkers: 1,
    maxWorkers: 10,
  },
  kubernetes: {
    namespace: 'monitoring',
    ruleLabels: { role: 'alert-rules' },
    dashboardLabel: 'grafana_dashboard',
    workerDeployment: 'worker',
    app: {
      images: {
        app: 'voting-mixin/app:local',
        postgresExporter: 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0',
      },
      imagePullPolicy: 'IfNotPresent',
      secrets: { app: 'voting-app', voteCookie: 'voting-vote-cookie', postgresExporter: 'voting-postgres-exporter' },
      voteReplicas: 2,
      autoscaler: 'keda',
    },
  },
};

/** Deep partial for overrides: objects merge, arrays and scalars replace. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merges `over` onto `base`: nested objects merge key by key, everything else replaces. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v;
  }
  return out as T;
}

/** A queue in overrides: name and key are required, the rest defaults to the default queue's. */
export type QueueInput = Partial<QueueConfig> & Pick<QueueConfig, 'name' | 'key'>;

/** What `defineConfig` and config files accept. */
export type ConfigOverrides = DeepPartial<Omit<MixinConfig, 'queues'>> & { queues?: QueueInput[] };

/** Thresholds and timings a queue gets when an override names only its key. */
export const queueDefaults: Omit<QueueConfig, 'name' | 'key'> = (() => {
  const { name: _n, key: _k, processingPattern: _p, ...rest } = defaultConfig.queues[0]!;
  return { ...rest, type: 'auto' };
})();

/** Defaults + overrides, without checks (config-file loading checks the shape first). */
export function mergeConfig(overrides: ConfigOverrides): MixinConfig {
  const { queues, ...rest } = overrides;
  const cfg = deepMerge(defaultConfig, rest);
  if (queues) cfg.queues = queues.map((q) => ({ ...queueDefaults, ...q }));
  // A team's receivers are the whole set: merging would keep the default ones (a page to a demo
  // webhook nobody reads) beside the team's Slack.
  const receivers = rest.alertmanager?.receivers;
  if (receivers) cfg.alertmanager = { ...cfg.alertmanager, receivers: { ...receivers } as ReceiverSecrets };
  return cfg;
}
