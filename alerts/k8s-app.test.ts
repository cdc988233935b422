// The k8s target: every object validates against its schema (as written, re-read from the YAML),
// each ServiceMonitor gives its component's series the labels prometheus.yml gives them, the
// Kustomize base lists exactly the k8s files the build writes, and no secret is in any file.
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseConfigText } from '../config/config-file.js';
import { defineConfig } from '../config/define-config.js';
import { type ConfigOverrides, defaultConfig, type MixinConfig } from '../config/mixin-config.js';
import { targetNames, targets } from '../scripts/lib/artifacts.js';
import { validateOutput } from '../scripts/lib/validate-output.js';
import { TEAM_CONFIGS } from '../test/config-shapes.js';
import { EXPORTER_CONFIG_FILE } from './k8s-app.js';
import { KUSTOMIZATION_PATH, k8sArtifacts } from './k8s-artifacts.js';
import { prometheusConfig } from './prometheus-config.js';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: any; data?: any };

const CONFIGS: Array<[string, MixinConfig]> = [
  ['default', defaultConfig],
  ...Object.entries(TEAM_CONFIGS).map(([n, o]): [string, MixinConfig] => [n, defineConfig(o)]),
  // Compose's cAdvisor scraped, no result service, its own namespace and monitor labels.
  [
    'cadvisor-no-result',
    defineConfig({
      prometheus: { targets: { cadvisor: ['cadvisor:8080'], result: [] } },
      kubernetes: { workerNamespace: 'voting', app: { monitorLabels: { release: 'kps' } } },
    }),
  ],
];

const objectsOf = (files: ReadonlyMap<string, string>) =>
  [...files]
    .filter(([p]) => p.startsWith('k8s/app/') || p.startsWith('k8s/monitoring/'))
    .flatMap(([p, text]) => parseAllDocuments(text).map((d) => ({ file: p, obj: d.toJS() as Obj })));

const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  Deployment,
  Service,
  ConfigMap,
  ServiceMonitor,
};

/**
 * The labels Prometheus gives a target of a ServiceMonitor: the operator's own (job = the Service's
 * name, namespace, pod, container…), then the endpoint's relabelings. Only `replace` without source
 * labels is used: the regex (.*) matches the empty string, the replacement is the value, `$$` a `$`.
 */
function scrapedLabels(sm: Obj): Record<string, string> {
  const out: Record<string, string> = {
    job: sm.spec.selector.matchLabels['app.kubernetes.io/name'] ?? 'operated',
    namespace: sm.metadata.namespace ?? '',
    service: 'svc',
    pod: 'pod-0',
    container: 'c',
    endpoint: sm.spec.endpoints[0].port,
    instance: '10.0.0.1:8080',
  };
  for (const r of sm.spec.endpoints[0].relabelings ?? []) {
    expect(r.action).toBe('replace');
    expect(r.sourceLabels).toBeUndefined();
    out[r.targetLabel] = r.replacement.replace(/\$\$/g, '$');
  }
  return out;
}

function produceAll(cfg: MixinConfig): Map<string, string> {
  const files = new Map<string, string>();
  for (const t of targetNames) for (const [p, c] of targets[t].produce(cfg)) files.set(p, c);
  return files;
}

describe.each(CONFIGS)('k8s manifests, %s config', (_name, cfg) => {
  const files = k8sArtifacts(cfg);
  const objects = objectsOf(files);

  it('every object, as written, validates against its schema', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const { file, obj } of objects) {
      const Model = MODELS[obj.kind];
      expect(Model, `${file}: ${obj.kind}`).toBeDefined();
      expect(() => new Model!(obj as never).validate(), `${file}: ${obj.kind} ${obj.metadata.name}`).not.toThrow();
    }
  });

  it("every component with targets gets prometheus.yml's job and target labels", () => {
    const prom = prometheusConfig(cfg) as {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ labels?: Record<string, string> }> }>;
    };
    const components = (
      Object.keys(cfg.prometheus.targets) as Array<keyof MixinConfig['prometheus']['targets']>
    ).filter((c) => cfg.prometheus.targets[c].length > 0);
    expect(components.length).toBe(prom.scrape_configs.length);
    const monitors = objects.filter((o) => o.obj.kind === 'ServiceMonitor');
    let checked = 0;
    for (const [i, c] of components.entries()) {
      const sc = prom.scrape_configs[i]!;
      const { job = sc.job_name, ...labels } = sc.static_configs[0]?.labels ?? {};
      const want = { job, ...labels };
      // cAdvisor is the kubelet's on Kubernetes: no ServiceMonitor of ours.
      const sm = monitors.find((m) => m.obj.metadata.name === (c === 'cadvisor' ? '' : nameOf(cfg, c)));
      if (c === 'cadvisor') {
        expect(sm).toBeUndefined();
        continue;
      }
      expect(sm, c).toBeDefined();
      const got = scrapedLabels(sm!.obj);
      for (const [k, v] of Object.entries(want)) expect(got[k], `${c}: ${k}`).toBe(v);
      checked++;
    }
    expect(checked).toBe(monitors.length);
  });

  it('scrapes at the interval the rules assume, with the labels the operator selects on', () => {
    for (const { obj } of objects.filter((o) => o.obj.kind === 'ServiceMonitor')) {
      expect(obj.spec.endpoints[0].interval).toBe(cfg.prometheus.scrapeInterval);
      expect(obj.metadata).toMatchObject({ labels: cfg.kubernetes.app.monitorLabels ?? cfg.kubernetes.ruleLabels });
    }
  });

  it('the exporter reads the same queues from its ConfigMap, and a change rolls its pods', () => {
    const cm = objects.find((o) => o.obj.kind === 'ConfigMap')!.obj;
    expect(parseConfigText(cm.data[EXPORTER_CONFIG_FILE]).queues).toEqual(cfg.queues);
    const hash = (c: MixinConfig) =>
      (parseAllDocuments(k8sArtifacts(c).get('k8s/app/redis-queue-exporter.yaml')!)[1]!.toJS() as Obj).spec.template
        .metadata.annotations['voting-mixin/queues-hash'];
    expect(hash(cfg)).toMatch(/^[0-9a-f]{8}$/);
    expect(hash(defineConfig({ ...cfg, queues: [{ name: 'other', key: 'other' }] } as ConfigOverrides))).not.toBe(
      hash(cfg),
    );
  });
});

function nameOf(cfg: MixinConfig, c: string): string {
  const names: Record<string, string> = {
    vote: 'vote',
    result: 'result',
    worker: cfg.kubernetes.workerDeployment,
    exporter: 'redis-queue-exporter',
    postgres: 'postgres-exporter',
    prometheus: 'voting-mixin-prometheus',
    alertmanager: 'voting-mixin-alertmanager',
  };
  return names[c]!;
}

describe('the Kustomize base', () => {
  it.each(['keda', 'hpa', 'none'] as const)(
    'lists exactly the k8s files the build writes (autoscaler %s)',
    (engine) => {
      const cfg = defineConfig({ kubernetes: { app: { autoscaler: engine } } });
      const all = produceAll(cfg);
      const base = parse(all.get(KUSTOMIZATION_PATH)!) as { kind: string; resources: string[] };
      expect(base.kind).toBe('Kustomization');
      const listed = base.resources.map((r) => `k8s/${r}`);
      expect(new Set(listed).size).toBe(listed.length);
      const k8s = [...all.keys()].filter((p) => p.startsWith('k8s/') && p !== KUSTOMIZATION_PATH);
      const chosen = k8s.filter((p) => !p.startsWith('k8s/autoscaling/') || p.startsWith(`k8s/autoscaling/${engine}/`));
      expect(listed.sort()).toEqual(chosen.sort());
      // The autoscalers' folders stay `kubectl apply -f`-able: no kustomization.yaml inside.
      expect(k8s.filter((p) => p.endsWith('kustomization.yaml'))).toEqual([]);
    },
  );

  it('the worker has minWorkers replicas only when no autoscaler owns the count; vote has its replicas', () => {
    const worker = (over: ConfigOverrides) => {
      const cfg = defineConfig(over);
      const text = k8sArtifacts(cfg).get(`k8s/app/${cfg.kubernetes.workerDeployment}.yaml`)!;
      return parseAllDocuments(text)[0]!.toJS() as Obj;
    };
    expect(worker({}).spec.replicas).toBeUndefined();
    expect(worker({ kubernetes: { app: { autoscaler: 'none' } }, scaling: { minWorkers: 3 } }).spec.replicas).toBe(3);
    const vote = parseAllDocuments(k8sArtifacts(defaultConfig).get('k8s/app/vote.yaml')!)[0]!.toJS() as Obj;
    expect(vote.spec.replicas).toBe(2);
  });

  it('a component without targets is not deployed', () => {
    const cfg = defineConfig({ prometheus: { targets: { result: [], postgres: [] } } });
    const files = [...k8sArtifacts(cfg).keys()];
    expect(files).not.toContain('k8s/app/result.yaml');
    expect(files).not.toContain('k8s/app/postgres-exporter.yaml');
    expect(files).toContain('k8s/app/vote.yaml');
  });
});

describe('kubernetes.app in the config', () => {
  it('refuses what the API server would, naming the path', () => {
    const fails = (o: ConfigOverrides, path: string) =>
      expect(() => defineConfig(o)).toThrow(new RegExp(`^${path.replace(/\./g, '\\.')}`));
    fails({ kubernetes: { app: { secrets: { app: 'Voting_App' } } } }, 'kubernetes.app.secrets.app');
    fails({ kubernetes: { app: { images: { app: '' } } } }, 'kubernetes.app.images.app');
    fails({ kubernetes: { app: { voteReplicas: 1.5 } } }, 'kubernetes.app.voteReplicas');
  });

  it('a config file may set it, and the schema refuses what the type does not have', () => {
    const cfg = parseConfigText(
      'kubernetes:\n  app:\n    autoscaler: hpa\n    images: { app: registry.example/voting:1.2 }\n',
    );
    expect(cfg.kubernetes.app).toMatchObject({ autoscaler: 'hpa', images: { app: 'registry.example/voting:1.2' } });
    expect(cfg.kubernetes.app.images.postgresExporter).toBe(defaultConfig.kubernetes.app.images.postgresExporter);
    expect(() => parseConfigText('kubernetes:\n  app:\n    autoscaler: both\n')).toThrow();
  });
});

describe('secrets', () => {
  const SECRETISH = /URL|SECRET|PASSWORD|TOKEN|DATA_SOURCE_NAME/;
  const CREDENTIAL_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"]+:[^\s/@"]+@/i;
  const SECRET_KEY = /^\s*-?\s*"?(password|api_key|token|auth_token|secret|routing_key)"?[ \t]*:[ \t]*[^\s#]/im;

  it('the detectors catch what they look for, and not a reference', () => {
    expect('value: postgres://voting:hunter2@db:5432/voting').toMatch(CREDENTIAL_URL);
    expect('  url: redis://default:pw@redis:6379').toMatch(CREDENTIAL_URL);
    expect('    password: hunter2').toMatch(SECRET_KEY);
    expect('  password_file: /etc/secrets/pw').not.toMatch(SECRET_KEY);
    expect('  secret:\n    secretName: x').not.toMatch(SECRET_KEY);
  });

  it.each(CONFIGS)('%s: only referenced, never written', (_name, cfg) => {
    const files = produceAll(cfg);
    for (const { file, obj } of objectsOf(files)) {
      if (obj.kind === 'Secret') throw new Error(`${file} holds a Secret`);
      for (const c of obj.kind === 'Deployment' ? obj.spec.template.spec.containers : [])
        for (const e of c.env ?? [])
          if (SECRETISH.test(e.name) && !e.name.endsWith('_FILE'))
            expect(e, `${file} ${e.name}`).toMatchObject({ valueFrom: { secretKeyRef: {} } });
    }
    for (const [file, text] of files) {
      // A URL with credentials, or a secret-named key with a value of its own (not *_file, not a reference).
      expect(text, file).not.toMatch(CREDENTIAL_URL);
      expect(text, file).not.toMatch(SECRET_KEY);
    }
  });
});

describe('the k8s files through validate', () => {
  it.each(CONFIGS)('%s: zero findings (each file as named, as the build checks them)', async (_name, cfg) => {
    const found = await validateOutput(k8sArtifacts(cfg), cfg, 'dist');
    expect(found.map((f) => `${f.id} ${f.file}:${f.position?.line ?? ''} ${f.message}`)).toEqual([]);
  });
});
