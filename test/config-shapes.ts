/**
 * Configs of every shape `MixinConfig` allows, for the build-matrix tests: a seeded generator (the
 * same seed gives the same configs, so a failure names a reproducible case) and a few hand-picked
 * team configs. Some generated configs are wrong on purpose (PromQL pasted into a label value, an
 * underivable regex, critical below warning…): the build must answer those with a ConfigError.
 * Some select another component's targets (a negative job matcher with nothing beside it that
 * tells the components apart): the build must refuse those too, naming the selector.
 */
import type { ConfigOverrides, QueueInput, QueueType } from '../config/mixin-config.js';
import type { Matcher, Scope } from '../config/promql.js';
import { seededRandom } from './support/random.js';

/** The seeded generator the shapes are picked with. */
export const rng = seededRandom;

const COMPONENTS = [
  'vote',
  'result',
  'worker',
  'exporter',
  'postgres',
  'cadvisor',
  'prometheus',
  'alertmanager',
] as const;
const RARE = new Set<string>(['result', 'postgres', 'cadvisor']);
const QUEUE_TYPES: QueueType[] = ['auto', 'list', 'stream', 'zset', 'set', 'hash'];
const DURATIONS = ['0s', '30s', '1m', '2m', '5m', '10m'] as const;

/** Job matchers: every operator, derivable and not, valid and (rarely) not. */
function jobMatcher(r: () => number, component: string): Matcher {
  const pool: Matcher[] = [
    `${component}-prod`,
    `my.${component}:1`,
    { op: '=', value: `${component}_eu` },
    { op: '=~', value: `${component}-(eu|us)` },
    { op: '=~', value: `${component}.*` },
    { op: '=~', value: `(?i)${component}-[a-z]+` },
    { op: '=~', value: `${component}-[0-9]{2,3}` },
    { op: '=~', value: `${component}-\\pL+`, example: `${component}-é` },
    { op: '=~', value: `(?P<region>eu|us)-${component}` },
    { op: '!=', value: 'staging' },
    { op: '!~', value: 'dev-.*|test-.*' },
  ];
  return pool[Math.floor(r() * pool.length)]!;
}

/** Other target labels: equality, regex and negative. */
function extraMatcher(r: () => number): [string, Matcher] {
  const pool: Array<[string, Matcher]> = [
    ['namespace', 'prod'],
    ['namespace', { op: '=~', value: 'prod|canary' }],
    ['cluster', { op: '!~', value: 'dev|test' }],
    ['env', { op: '!=', value: 'staging' }],
    ['env', { op: '!=', value: '' }],
    ['region', { op: '=~', value: 'eu-[a-z]+-[0-9]' }],
    ['team', { op: '=~', value: 'ballots?', example: 'ballots' }],
  ];
  return pool[Math.floor(r() * pool.length)]!;
}

/** Wrong on purpose: each must be a ConfigError, never a stack trace. */
const BROKEN: Matcher[] = [
  '=~"vote.*"',
  'vote"}',
  '!="staging"',
  { op: '=~', value: 'vote-\\pL+' },
  { op: '=~', value: 'vote(' },
  { op: '=~', value: 'vote-(eu|us)', example: 'vote-asia' },
  { op: '!~', value: '.+' },
  { op: '=', value: '' },
];

function scope(r: () => number, component: string, brokenRate: number): Scope {
  const out: Record<string, Matcher> = {};
  if (r() < 0.85) out.job = jobMatcher(r, component);
  // `job!="staging"` alone also selects every other component's targets: mostly give it a label
  // that tells the components apart, sometimes not (an overlap the build must refuse).
  const job = out.job;
  if (typeof job === 'object' && (job.op === '!=' || job.op === '!~') && r() < 0.8) out.app = component;
  const extras = Math.floor(r() * 3);
  for (let i = 0; i < extras; i++) {
    const [k, m] = extraMatcher(r);
    out[k] = m;
  }
  if (r() < brokenRate) out[r() < 0.8 ? 'job' : 'namespace'] = BROKEN[Math.floor(r() * BROKEN.length)]!;
  if (r() < brokenRate / 4) out[r() < 0.5 ? 'instance' : 'queue'] = 'x';
  return out;
}

function queue(r: () => number, i: number): QueueInput {
  const names = ['votes', 'jobs', 'audit', 'mail'];
  const keys = ['votes', 'jobs:*', 'q:[ab]', 'stream:audit', 'mail?'];
  const warning = [1, 50, 200, 1000][Math.floor(r() * 4)]!;
  const q: QueueInput = {
    name: names[i]!,
    key: keys[Math.floor(r() * keys.length)]!,
    type: QUEUE_TYPES[Math.floor(r() * QUEUE_TYPES.length)]!,
    warning,
    critical: warning * [2, 3, 10][Math.floor(r() * 3)]!,
    for: DURATIONS[1 + Math.floor(r() * (DURATIONS.length - 1))]!,
    averagedCritical: warning * 5,
    oldestAgeWarningSeconds: [30, 60, 120][Math.floor(r() * 3)]!,
    oldestAgeCriticalSeconds: [300, 600][Math.floor(r() * 2)]!,
    drainTargetSeconds: [60, 300, 900][Math.floor(r() * 3)]!,
  };
  if (r() < 0.5) q.processingPattern = `${q.name}:processing:*`;
  return q;
}

/**
 * One config shape from the seed. `brokenRate` is the chance that a selector carries a mistake;
 * thresholds and queues are always valid, so a clean selector set must build.
 */
export function randomConfig(seed: number, alertNames: readonly string[], brokenRate = 0.15): ConfigOverrides {
  const r = rng(seed);
  const selectors: Record<string, Scope> = {};
  // Eight components each picking a risky matcher would make most shapes overlap; the ones a team
  // rarely renames (result, postgres, cadvisor) are drawn less often, so most shapes still build.
  for (const c of COMPONENTS) if (r() < (RARE.has(c) ? 0.3 : 0.8)) selectors[c] = scope(r, c, brokenRate);
  const queues = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => queue(r, i));
  const forOverrides: Record<string, string> = {};
  // No 0s for absent(): the validator rightly warns that one missed scrape would page.
  for (const a of alertNames)
    if (r() < 0.15)
      forOverrides[a] = DURATIONS[(a === 'WorkerAbsent' ? 1 : 0) + Math.floor(r() * (DURATIONS.length - 1))]!;
  // A rate window under 4 scrape intervals is a validator warning (lint/range-window): keep it above.
  const scrapeInterval = (['15s', '30s', '1m'] as const)[Math.floor(r() * 3)]!;
  const rateWindow = (scrapeInterval === '15s' ? (['1m', '5m'] as const) : (['5m', '10m'] as const))[
    Math.floor(r() * 2)
  ]!;
  const errWarn = [0.001, 0.01, 0.05][Math.floor(r() * 3)]!;
  const failWarn = [0.005, 0.02][Math.floor(r() * 2)]!;
  const memWarn = [0.5, 0.8][Math.floor(r() * 2)]!;
  return {
    selectors,
    queues,
    alerts: {
      forOverrides,
      rateWindow,
      defaultFor: DURATIONS[1 + Math.floor(r() * 5)]!,
      downFor: DURATIONS[1 + Math.floor(r() * 3)]!,
    },
    thresholds: {
      vote: {
        errorRatioWarning: errWarn,
        errorRatioCritical: errWarn * 4,
        latencyP95WarningSeconds: [0.25, 0.5, 2][Math.floor(r() * 3)]!,
        latencyP95CriticalSeconds: 5,
      },
      worker: {
        failureRatioWarning: failWarn,
        failureRatioCritical: failWarn * 3,
        processingP95WarningSeconds: [0.5, 2][Math.floor(r() * 2)]!,
      },
      redis: { memoryWarningRatio: memWarn, memoryCriticalRatio: memWarn + 0.1, clientsWarningRatio: 0.7 },
      exporter: { scrapeDurationWarningSeconds: [0.5, 1, 3][Math.floor(r() * 3)]! },
    },
    slo: { period: (['7d', '28d', '30d'] as const)[Math.floor(r() * 3)]!, availability: { target: 0.995 } },
    prometheus: {
      scrapeInterval,
      evaluationInterval: (['15s', '1m'] as const)[Math.floor(r() * 2)]!,
    },
  } as ConfigOverrides;
}

/** Representative team configs: each kind of selector at least once, several queues, overrides. */
export const TEAM_CONFIGS: Record<string, ConfigOverrides> = {
  'regex-multi-label': {
    selectors: {
      vote: { job: { op: '=~', value: 'vote-(eu|us)' }, namespace: 'prod', env: { op: '!=', value: 'staging' } },
      worker: { job: { op: '=~', value: 'worker.*' }, cluster: { op: '!~', value: 'dev|test' } },
      exporter: { job: { op: '=~', value: '(?i)redis-exporter-[0-9]+' }, namespace: 'prod' },
      // Everything that is not one of the others: disjoint from them by construction.
      prometheus: { job: { op: '!~', value: 'vote.*|result|worker.*|redis.*|postgres|cadvisor|alertmanager' } },
    },
    queues: [
      { name: 'votes', key: 'votes', type: 'list', processingPattern: 'votes:processing:*' },
      { name: 'jobs', key: 'jobs:*', type: 'zset', warning: 20, critical: 50, for: '2m' },
    ],
    alerts: { forOverrides: { RedisDown: '30s', WorkerAbsent: '30s', VoteHighErrorRatio: '2m' } },
  },
  'examples-and-shared-job': {
    // Vote and worker share one job value and differ by another label: job_names must stay unique.
    selectors: {
      vote: { job: { op: '=~', value: 'ballot-[a-z]+', example: 'ballot-api' }, container: 'vote' },
      worker: { job: { op: '=~', value: 'ballot-[a-z]+', example: 'ballot-api' }, container: 'worker' },
      exporter: { job: 'my.exporter:1' },
    },
    queues: [
      { name: 'ballots', key: 'q:ballots', type: 'stream' },
      { name: 'mail', key: 'mail:*', type: 'hash', processingPattern: 'mail:proc:*', warning: 5, critical: 10 },
      { name: 'audit', key: 'audit', type: 'auto' },
    ],
    thresholds: { vote: { errorRatioWarning: 0.02, errorRatioCritical: 0.1 } },
    slo: { period: '28d' },
  },
  're2-only-syntax': {
    // Regexes JavaScript cannot evaluate: the examples are taken on trust, the tests prove them.
    selectors: {
      vote: { job: { op: '=~', value: 'vote-[[:alpha:]]+', example: 'vote-eu' }, namespace: 'prod' },
      worker: { job: { op: '=~', value: '(?i:worker)-\\pL+', example: 'Worker-main' } },
    },
    queues: [{ name: 'votes', key: 'votes', type: 'list', processingPattern: 'votes:processing:*' }],
  },
  'negative-only-jobs': {
    selectors: {
      vote: { job: { op: '!~', value: 'worker.*|redis.*' }, app: 'vote' },
      worker: { job: { op: '!=', value: 'vote' }, app: 'worker' },
      exporter: { job: { op: '=~', value: 'redis-[a-z]+' }, app: { op: '!=', value: '' } },
    },
    queues: [{ name: 'votes', key: 'votes:*', type: 'set' }],
    alerts: { rateWindow: '10m', defaultFor: '2m', downFor: '30s' },
  },
};
