/**
 * The autoscaling signal: the policy's arithmetic, the generated scenario suites run by promtool
 * for the defaults and a team's policy (and failing when the stabilisation is taken out), and the
 * KEDA / HPA / prometheus-adapter objects validated by kubernetes-models.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError } from '../config/config-check.js';
import { defineConfig } from '../config/define-config.js';
import { defaultConfig, type MixinConfig } from '../config/mixin-config.js';
import { recordings as r } from '../config/recordings.js';
import { checkPromQL } from '../validate/promql-check.js';
import { alertArtifacts } from './artifacts.js';
import { recommend } from './scaling.js';
import {
  adapterExternalRules,
  EXTERNAL_METRIC,
  horizontalPodAutoscaler,
  kedaScaledObject,
  scalingManifests,
} from './scaling-k8s.js';
import { modelShape, scalingShapes } from './scaling-scenarios.js';

const exec = promisify(execFile);

/** A team's config: its own job names, two queues, its own policy and Kubernetes names. */
const team = defineConfig({
  selectors: {
    vote: { job: 'vote-prod' },
    worker: { job: 'vote-worker-prod' },
    exporter: { job: 'redis-queue-exporter-prod' },
  },
  queues: [
    { name: 'ballots', key: 'q:ballots', warning: 300, critical: 900, drainTargetSeconds: 120 },
    { name: 'audit', key: 'audit:*', warning: 50, critical: 80 },
  ],
  scaling: { scaleUpThreshold: 0.7, scaleDownThreshold: 0.2, stabilizationWindow: '10m', minWorkers: 2, maxWorkers: 6 },
  kubernetes: {
    namespace: 'observability',
    workerDeployment: 'ballot-worker',
    workerNamespace: 'voting-prod',
    prometheusUrl: 'http://prometheus-operated.observability.svc:9090',
  },
});

describe('the policy', () => {
  it('holds the count between the thresholds, resizes to the scale-up threshold outside, clamps to [min, max]', () => {
    const cfg = defaultConfig;
    expect(recommend(cfg, 2, 0.3)).toBe(2);
    expect(recommend(cfg, 2, 0.8)).toBe(2);
    expect(recommend(cfg, 2, 0.81)).toBe(3);
    expect(recommend(cfg, 4, 1)).toBe(5);
    expect(recommend(cfg, 4, 0.25)).toBe(2);
    expect(recommend(cfg, 1, 0)).toBe(1);
    expect(recommend(cfg, 10, 1)).toBe(10);
    expect(recommend(team, 6, 0.1)).toBe(2);
  });

  for (const [name, cfg] of [
    ['defaults', defaultConfig],
    ['a team policy', team],
  ] as const) {
    it(`${name}: steady load holds one count, rising load goes up within a rate window, falling load only after the stabilisation window`, () => {
      const [steady, rising, falling] = scalingShapes(cfg).map((s) => ({ shape: s, model: modelShape(cfg, s) }));
      const recs = (m: ReturnType<typeof modelShape>) => m.flatMap((e) => (e ? [e.recommended] : []));
      expect(new Set(recs(steady!.model)).size).toBe(1);
      const start = recs(steady!.model)[0]!;
      const change = rising!.shape.minutes.findIndex((x) => x.utilisation === 1);
      const up = rising!.model.findIndex((e) => e !== undefined && e.recommended > start);
      expect(up).toBeGreaterThan(change - 1);
      expect(up).toBeLessThanOrEqual(change + 5);
      const down = falling!.model.findIndex((e) => e !== undefined && e.recommended < start);
      expect(down).toBeGreaterThan(0);
    });
  }
});

describe('promtool test rules on the generated suites', () => {
  const root = mkdtempSync(join(tmpdir(), 'voting-scaling-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (name: string, cfg: MixinConfig) => {
    const dir = join(root, name);
    for (const [p, c] of alertArtifacts(cfg)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), c);
    }
    return dir;
  };
  const promtool = async (dir: string, suites: string[]) => {
    try {
      const res = await exec('promtool', ['test', 'rules', ...suites.map((s) => join(dir, 'tests', s))]);
      return { code: 0, out: res.stdout + res.stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: err.code ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
    }
  };
  const SUITES = ['scenario-scaling.yml', 'queue-alerts.yml', 'worker-alerts.yml'];

  it('pass for the defaults and a team config (scaling scenarios, queue and worker alerts)', async () => {
    for (const [name, cfg] of [
      ['default', defaultConfig],
      ['team', team],
    ] as const) {
      const dir = write(name, cfg);
      const res = await promtool(dir, SUITES);
      expect(res.code, `${name}: ${res.out}`).toBe(0);
      expect(res.out.match(/SUCCESS/g)).toHaveLength(SUITES.length);
      const suite = parse(readFileSync(join(dir, 'tests/scenario-scaling.yml'), 'utf8'));
      // Minute-by-minute expectations, not a spot check.
      for (const t of suite.tests.slice(0, 3)) expect(t.promql_expr_test.length, t.name).toBeGreaterThan(40);
    }
  }, 60_000);

  it('fail when the signal is not stabilised, or QueueGrowing loses its margin', async () => {
    const dir = write('mutated', team);
    const rules = join(dir, 'prometheus/rules/voting-recording.yml');
    writeFileSync(
      rules,
      readFileSync(rules, 'utf8').replace(
        `max_over_time(${r.queueWorkerRecommendedReplicas.name}[10m])`,
        r.queueWorkerRecommendedReplicas.name,
      ),
    );
    const queue = join(dir, 'prometheus/rules/voting-queue-alerts.yml');
    writeFileSync(queue, readFileSync(queue, 'utf8').replaceAll(' * 1.1) and on (queue)', ') and on (queue)'));
    const res = await promtool(dir, ['scenario-scaling.yml']);
    expect(res.code).not.toBe(0);
    // promtool names the expression, not the group: the desired count dropped before the window…
    expect(res.out).toMatch(
      /expr: "queue:worker_desired_replicas:count", time: \d+m,\s+exp: .* 3E\+00\s+got: .* 2E\+00/,
    );
    // …and a healthy queue's QueueGrowing pends.
    expect(res.out).toMatch(/expr: "ALERTS\{alertname=\\"QueueGrowing\\"\}"/);
  }, 60_000);
});

describe('Kubernetes objects for KEDA and the HPA', () => {
  it('validate against their schemas, for the defaults and a team config', () => {
    for (const cfg of [defaultConfig, team]) {
      expect(() => kedaScaledObject(cfg).validate()).not.toThrow();
      expect(() => horizontalPodAutoscaler(cfg).validate()).not.toThrow();
    }
  });

  it("follow the team's names, namespaces, policy and queues", () => {
    const keda = kedaScaledObject(team);
    expect(keda.metadata).toMatchObject({ name: 'ballot-worker', namespace: 'voting-prod' });
    expect(keda.spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'ballot-worker' },
      minReplicaCount: 2,
      maxReplicaCount: 6,
      cooldownPeriod: 600,
    });
    expect(keda.spec.triggers.map((t) => t.metadata.serverAddress)).toEqual([
      'http://prometheus-operated.observability.svc:9090',
      'http://prometheus-operated.observability.svc:9090',
    ]);
    for (const t of keda.spec.triggers) {
      expect(t.metadata.query).toContain(r.queueWorkerDesiredReplicas.name);
      expect(checkPromQL(t.metadata.query!, { lint: false }).issues).toEqual([]);
    }
    const hpa = horizontalPodAutoscaler(team);
    expect(hpa.metadata?.namespace).toBe('voting-prod');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(hpa.spec?.metrics?.map((m) => m.external?.metric.selector?.matchLabels?.queue)).toEqual([
      'ballots',
      'audit',
    ]);
    // The HPA asks for the name the adapter serves.
    expect(adapterExternalRules()[0]).toMatchObject({ name: { as: EXTERNAL_METRIC } });
    expect(hpa.spec?.metrics?.every((m) => m.external?.metric.name === EXTERNAL_METRIC)).toBe(true);
    const files = scalingManifests(team);
    expect([...files.keys()].sort()).toEqual([
      'k8s/autoscaling/hpa/prometheus-adapter-config.yaml',
      'k8s/autoscaling/hpa/worker-hpa.yaml',
      'k8s/autoscaling/keda/worker-scaledobject.yaml',
    ]);
    const adapter = parse(files.get('k8s/autoscaling/hpa/prometheus-adapter-config.yaml')!);
    expect(adapter.metadata.namespace).toBe('observability');
    expect(parse(adapter.data['config.yaml']).externalRules[0].resources).toEqual({ namespaced: false });
  });

  it('the schema validation is real: an object without triggers is refused', () => {
    const bad = new ScaledObject({ spec: { scaleTargetRef: { name: 'w' } } as never });
    expect(() => bad.validate()).toThrow(/triggers/);
  });

  it('a name Kubernetes refuses is a config error with its path', () => {
    expect(() => defineConfig({ kubernetes: { workerDeployment: 'Ballot_Worker' } })).toThrow(ConfigError);
    expect(() => defineConfig({ kubernetes: { workerDeployment: 'Ballot_Worker' } })).toThrow(
      /^kubernetes\.workerDeployment must be a Kubernetes object name/,
    );
    expect(() => defineConfig({ kubernetes: { workerNamespace: 'Prod' } })).toThrow(/^kubernetes\.workerNamespace/);
  });
});
