// Autoscalers driven by Prometheus (what `build` writes to dist/k8s/) are recognised: no
// "not recognised" error for a file holding only one, and a KEDA trigger's PromQL is parsed.
import { describe, expect, it } from 'vitest';
import { detectPlainKind } from './detect.js';
import { validateFiles } from './engine.js';

const scaledObject = (query: string) => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: worker
spec:
  scaleTargetRef:
    name: worker
  triggers:
    - type: prometheus
      metadata:
        serverAddress: http://prometheus:9090
        query: ${query}
        threshold: "1"
`;

const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: worker
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: worker }
  maxReplicas: 3
`;

const run = (file: string, text: string) => validateFiles([{ file, text, named: true }]);

describe('Kubernetes autoscalers', () => {
  it('are their own kind, by apiVersion and kind', () => {
    expect(detectPlainKind({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' })).toBe('k8s-autoscaler');
    expect(detectPlainKind({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' })).toBe('k8s-autoscaler');
    // Somebody else's ScaledObject kind is still not ours.
    expect(detectPlainKind({ apiVersion: 'example.com/v1', kind: 'ScaledObject' })).toBe('unknown');
  });

  it('a ScaledObject with a good query and an HPA: no findings at all', async () => {
    expect(
      (await run('so.yaml', scaledObject('max(queue:worker_desired_replicas:count{queue="votes"})'))).findings,
    ).toEqual([]);
    expect((await run('hpa.yaml', hpa)).findings).toEqual([]);
  });

  it("a ScaledObject whose trigger query is broken PromQL: an error at the query's line", async () => {
    const { findings } = await run('so.yaml', scaledObject("'max(rate(x[5m])'"));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.severity === 'error' && f.position?.line === 12)).toBe(true);
  });

  it('the default build still names what it does not know', async () => {
    const { findings } = await run('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: { name: x }\n');
    expect(findings.map((f) => f.id)).toContain('detect/not-recognised');
  });
});
