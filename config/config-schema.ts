/**
 * JSON Schema for config files (YAML or JSON). Every object is closed (`additionalProperties:
 * false`) so a typo such as `queues[0].critcal` is reported instead of silently ignored. Every
 * field is optional: what a file leaves out comes from `defaultConfig` (and `queueDefaults`).
 */
const duration = { type: 'string', pattern: '^[0-9]+(ms|s|m|h|d|w|y)$' } as const;
const num = { type: 'number' } as const;
const str = { type: 'string' } as const;
const strList = { type: 'array', items: str } as const;
const matcher = {
  oneOf: [
    str,
    {
      type: 'object',
      additionalProperties: false,
      required: ['op', 'value'],
      properties: { op: { enum: ['=', '!=', '=~', '!~'] }, value: str, example: str },
    },
  ],
} as const;
const scope = { type: 'object', additionalProperties: matcher } as const;

function obj(properties: Record<string, unknown>, required: string[] = []): Record<string, unknown> {
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}) };
}

const queue = obj(
  {
    name: str,
    key: { type: 'string', minLength: 1 },
    type: { enum: ['auto', 'list', 'stream', 'zset', 'set', 'hash'] },
    processingPattern: str,
    warning: num,
    critical: num,
    for: duration,
    averagedCritical: num,
    oldestAgeWarningSeconds: num,
    oldestAgeCriticalSeconds: num,
    drainTargetSeconds: num,
  },
  ['name', 'key'],
);

const routeTiming = obj({ groupWait: duration, groupInterval: duration, repeatInterval: duration });

export const configSchema = obj({
  $schema: str,
  selectors: obj({ vote: scope, worker: scope, exporter: scope, prometheus: scope, alertmanager: scope }),
  queues: { type: 'array', items: queue },
  thresholds: obj({
    vote: obj({
      errorRatioWarning: num,
      errorRatioCritical: num,
      latencyP95WarningSeconds: num,
      latencyP95CriticalSeconds: num,
    }),
    worker: obj({
      failureRatioWarning: num,
      failureRatioCritical: num,
      processingP95WarningSeconds: num,
      lastSuccessMaxAgeSeconds: num,
      dbPoolSaturationRatio: num,
    }),
    redis: obj({ memoryWarningRatio: num, memoryCriticalRatio: num, clientsWarningRatio: num }),
    exporter: obj({ scrapeDurationWarningSeconds: num }),
    health: obj({ healthy: num, warning: num }),
  }),
  slo: obj({
    period: duration,
    availability: obj({ target: num }),
    latency: obj({ target: num, thresholdSeconds: num }),
  }),
  alerts: obj({
    rateWindow: duration,
    defaultFor: duration,
    downFor: duration,
    stalledFor: duration,
    growingFor: duration,
    keepFiringFor: duration,
    forOverrides: { type: 'object', additionalProperties: duration },
  }),
  datasources: obj({
    prometheus: obj({ name: str, uid: str, url: str }),
    loki: obj({ name: str, uid: str, url: str }),
  }),
  grafana: obj({
    uidPrefix: str,
    titlePrefix: str,
    tags: strList,
    refresh: str,
    timezone: str,
    timeFrom: str,
    url: str,
    folder: str,
  }),
  runbookBaseUrl: str,
  prometheus: obj({
    scrapeInterval: duration,
    evaluationInterval: duration,
    targets: obj({ vote: strList, worker: strList, exporter: strList, prometheus: strList, alertmanager: strList }),
    ruleFiles: strList,
  }),
  alertmanager: obj({
    receivers: obj({
      webhook: { oneOf: [obj({ url: str }, ['url']), obj({ urlFile: str }, ['urlFile'])] },
      slack: obj({ apiUrlFile: str, channel: str }, ['apiUrlFile', 'channel']),
      email: obj({ to: str, from: str, smarthost: str, authUsername: str, authPasswordFile: str }, [
        'to',
        'from',
        'smarthost',
      ]),
    }),
    timing: obj({ critical: routeTiming, warning: routeTiming, info: routeTiming }),
    policies: {
      type: 'array',
      items: obj(
        {
          alerts: strList,
          receiver: str,
          severity: { enum: ['critical', 'warning', 'info'] },
          groupWait: duration,
          groupInterval: duration,
          repeatInterval: duration,
        },
        ['alerts'],
      ),
    },
  }),
  scaling: obj({
    scaleUpThreshold: num,
    scaleDownThreshold: num,
    stabilizationWindow: duration,
    minWorkers: num,
    maxWorkers: num,
  }),
  kubernetes: obj({
    namespace: str,
    ruleLabels: { type: 'object', additionalProperties: str },
    dashboardLabel: str,
  }),
});
