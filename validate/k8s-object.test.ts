// What a monitoring bundle deploys beside its rules (ServiceMonitor, PodMonitor, a Kustomize base)
// and the objects `build` writes (labelled part-of voting-mixin) are recognised: no finding. Anybody
// else's Deployment or Service stays unknown, so a named file holding only one is still an error.
import { describe, expect, it } from 'vitest';
import { detectPlainKind } from './detect.js';
import { validateFiles } from './engine.js';

const run = (file: string, text: string) => validateFiles([{ file, text, named: true }]);

const serviceMonitor = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: vote }
spec:
  selector: { matchLabels: { app: vote } }
  endpoints: [{ port: http, relabelings: [{ action: replace, targetLabel: job, replacement: vote }] }]
`;

describe('Kubernetes objects beside the monitoring ones', () => {
  it('are recognised by apiVersion and kind, or by the part-of label build sets', () => {
    expect(detectPlainKind({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' })).toBe('k8s-object');
    expect(detectPlainKind({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' })).toBe('k8s-object');
    expect(detectPlainKind({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' })).toBe(
      'k8s-object',
    );
    const ours = { 'app.kubernetes.io/part-of': 'voting-mixin' };
    expect(detectPlainKind({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { labels: ours } })).toBe(
      'k8s-object',
    );
    expect(detectPlainKind({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } })).toBe('unknown');
    expect(detectPlainKind({ apiVersion: 'example.com/v1', kind: 'ServiceMonitor' })).toBe('unknown');
  });

  it('a named ServiceMonitor or kustomization.yaml: no findings', async () => {
    expect((await run('sm.yaml', serviceMonitor)).findings).toEqual([]);
    const k = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [sm.yaml]\n';
    expect((await run('kustomization.yaml', k)).findings).toEqual([]);
  });

  it("build's Deployment and Service (part-of voting-mixin): no findings; anybody else's: still not recognised", async () => {
    const labelled = (kind: string) =>
      `apiVersion: ${kind === 'Service' ? 'v1' : 'apps/v1'}\nkind: ${kind}\nmetadata:\n  name: vote\n  labels: { app.kubernetes.io/part-of: voting-mixin }\n`;
    expect((await run('vote.yaml', `${labelled('Deployment')}---\n${labelled('Service')}`)).findings).toEqual([]);
    const { findings } = await run('web.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n');
    expect(findings.map((f) => f.id)).toEqual(['detect/not-recognised']);
  });
});
