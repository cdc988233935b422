// Every numeric threshold at the edge of what the config check accepts: a queue alerting on any
// backlog (warning 0), ages of 0, tiny averages and drain targets, ratios near 0 and near 1, p95
// thresholds at the first and just under the highest bucket. Each either builds and its generated
// promtool suites pass (the probe's quiet and firing values are reachable on both sides), or the
// config check refuses it with a ConfigError naming the path — never a stack trace.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { alertArtifacts } from '../alerts/artifacts.js';
import { defineConfig } from '../config/define-config.js';
import type { ConfigOverrides } from '../config/mixin-config.js';
import { configError } from './support/config-error.js';

const exec = promisify(execFile);

const LOW: ConfigOverrides = {
  queues: [
    { name: 'votes', key: 'votes', warning: 0, critical: 1, for: '5m', oldestAgeWarningSeconds: 0 },
    {
      name: 'tally',
      key: 'tally',
      warning: 0.5,
      critical: 1,
      averagedCritical: 0.001,
      oldestAgeWarningSeconds: 0,
      oldestAgeCriticalSeconds: 0.001,
      drainTargetSeconds: 0.001,
      processingPattern: 'tally:processing:*',
    },
  ],
  thresholds: {
    vote: {
      errorRatioWarning: 0.0001,
      errorRatioCritical: 0.0002,
      latencyP95WarningSeconds: 0.005,
      latencyP95CriticalSeconds: 0.006,
    },
    worker: {
      failureRatioWarning: 0.0001,
      failureRatioCritical: 0.0002,
      processingP95WarningSeconds: 0.001,
      dbPoolSaturationRatio: 0.0001,
      lastSuccessMaxAgeSeconds: 0.001,
    },
    redis: {
      memoryWarningRatio: 0.0001,
      memoryCriticalRatio: 0.0002,
      clientsWarningRatio: 0.0001,
      fragmentationWarningRatio: 1.0001,
      fragmentationMinBytes: 0,
      replicaLagWarningSeconds: 1,
    },
    exporter: { scrapeDurationWarningSeconds: 0.001 },
  },
} as ConfigOverrides;

const HIGH: ConfigOverrides = {
  queues: [
    { name: 'votes', key: 'votes', warning: 1e6, critical: 1e9, averagedCritical: 1e9, drainTargetSeconds: 1e6 },
  ],
  thresholds: {
    vote: {
      errorRatioWarning: 0.98,
      errorRatioCritical: 0.999,
      latencyP95WarningSeconds: 9.9,
      latencyP95CriticalSeconds: 9.99,
    },
    worker: {
      failureRatioWarning: 0.98,
      failureRatioCritical: 0.999,
      processingP95WarningSeconds: 4.99,
      dbPoolSaturationRatio: 0.999,
    },
    redis: {
      memoryWarningRatio: 0.98,
      memoryCriticalRatio: 0.999,
      clientsWarningRatio: 0.999,
      fragmentationWarningRatio: 100,
      fragmentationMinBytes: 1e12,
      replicaLagWarningSeconds: 86400,
    },
  },
} as ConfigOverrides;

/** Meaningless edges: the path the ConfigError must name. */
const REFUSED: Array<[string, ConfigOverrides]> = [
  ['queues[0].warning', { queues: [{ name: 'votes', key: 'votes', warning: -1 }] }],
  ['queues[0].oldestAgeWarningSeconds', { queues: [{ name: 'votes', key: 'votes', oldestAgeWarningSeconds: -5 }] }],
  ['queues[0].averagedCritical', { queues: [{ name: 'votes', key: 'votes', averagedCritical: 0 }] }],
  ['queues[0].drainTargetSeconds', { queues: [{ name: 'votes', key: 'votes', drainTargetSeconds: 0 }] }],
  ['thresholds.vote.latencyP95WarningSeconds', { thresholds: { vote: { latencyP95WarningSeconds: 0 } } }],
  ['thresholds.vote.latencyP95WarningSeconds', { thresholds: { vote: { latencyP95WarningSeconds: 0.001 } } }],
  ['thresholds.vote.latencyP95CriticalSeconds', { thresholds: { vote: { latencyP95CriticalSeconds: 10 } } }],
  ['thresholds.worker.processingP95WarningSeconds', { thresholds: { worker: { processingP95WarningSeconds: 0 } } }],
  ['thresholds.worker.processingP95WarningSeconds', { thresholds: { worker: { processingP95WarningSeconds: 5 } } }],
  ['thresholds.worker.lastSuccessMaxAgeSeconds', { thresholds: { worker: { lastSuccessMaxAgeSeconds: 0 } } }],
  [
    'thresholds.exporter.scrapeDurationWarningSeconds',
    { thresholds: { exporter: { scrapeDurationWarningSeconds: 0 } } },
  ],
  ['thresholds.vote.errorRatioWarning', { thresholds: { vote: { errorRatioWarning: 0 } } }],
  ['thresholds.redis.memoryCriticalRatio', { thresholds: { redis: { memoryCriticalRatio: 1 } } }],
  ['thresholds.redis.fragmentationWarningRatio', { thresholds: { redis: { fragmentationWarningRatio: 1 } } }],
  ['thresholds.redis.fragmentationMinBytes', { thresholds: { redis: { fragmentationMinBytes: -1 } } }],
  ['thresholds.redis.replicaLagWarningSeconds', { thresholds: { redis: { replicaLagWarningSeconds: 0.5 } } }],
] as Array<[string, ConfigOverrides]>;

const root = mkdtempSync(join(tmpdir(), 'voting-bounds-'));
afterAll(() => (process.env.KEEP ? undefined : rmSync(root, { recursive: true, force: true })));

async function promtoolTestRules(name: string, overrides: ConfigOverrides): Promise<{ code: number; out: string }> {
  const dir = join(root, name);
  for (const [p, c] of alertArtifacts(defineConfig(overrides))) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  const suites = readdirSync(join(dir, 'tests'));
  try {
    // promtool 2.42 leaves test_storage* behind when a group fails to load: keep it in the scratch folder.
    const r = await exec('promtool', ['test', 'rules', ...suites], {
      cwd: join(dir, 'tests'),
      env: { ...process.env, TMPDIR: root },
      maxBuffer: 64 << 20,
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('thresholds at their bounds', () => {
  it.each(REFUSED)('%s: a meaningless edge is a ConfigError naming it', (path, overrides) => {
    expect(configError(() => defineConfig(overrides)).path).toBe(path);
  });

  it('the lowest accepted thresholds build and their generated suites pass promtool', async () => {
    const r = await promtoolTestRules('low', LOW);
    expect(r.out).not.toMatch(/FAILED/);
    expect(r.code, r.out).toBe(0);
  }, 120_000);

  it('the highest accepted thresholds build and their generated suites pass promtool', async () => {
    const r = await promtoolTestRules('high', HIGH);
    expect(r.out).not.toMatch(/FAILED/);
    expect(r.code, r.out).toBe(0);
  }, 120_000);
});
