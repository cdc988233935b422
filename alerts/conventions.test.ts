// Every alert names the component it is about; queue and worker alerts read from the exporter do
// not carry the exporter's job (they aggregate by queue).
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { defaultConfig } from '../config/mixin-config.js';
import { alertComponent, COMPONENT_LABEL } from './conventions.js';
import { alertGroups, alertSpecs } from './groups.js';
import { expectedAlert } from './tests.js';

const team = defineConfig({
  selectors: { exporter: { job: 'redis-queue-exporter-prod' }, worker: { job: 'vote-worker-prod' } },
  queues: [
    { name: 'ballots', key: 'q:ballots' },
    { name: 'audit', key: 'audit:*' },
  ],
});

describe('alert labels', () => {
  it('every rule carries a component label from the known set, matching its name', () => {
    for (const cfg of [defaultConfig, team]) {
      for (const rule of alertGroups(cfg).flatMap((g) => g.rules)) {
        const component = rule.labels[COMPONENT_LABEL];
        expect(
          ['vote', 'result', 'queue', 'worker', 'redis', 'postgres', 'exporter', 'monitoring'],
          rule.alert,
        ).toContain(component);
      }
    }
    expect(alertComponent({ alert: 'WorkerStalled' })).toBe('worker');
    expect(alertComponent({ alert: 'QueueBacklogHigh' })).toBe('queue');
    expect(alertComponent({ alert: 'VoteAvailabilityErrorBudgetBurn' })).toBe('vote');
    expect(alertComponent({ alert: 'MonitoringTargetDown' })).toBe('monitoring');
    expect(alertComponent({ alert: 'Anything', labels: { component: 'redis' } })).toBe('redis');
    expect(() => alertComponent({ alert: 'Queued' })).toThrow(/<Component><Condition>/);
  });

  it("queue alerts and WorkerStalled fire with the queue and component, never the exporter's job", () => {
    const specs = alertSpecs(team).filter((s) => s.alert.startsWith('Queue') || s.alert === 'WorkerStalled');
    expect(specs.length).toBeGreaterThan(10);
    for (const s of specs) {
      const labels = expectedAlert(team, s, s.probe.firing ?? s.probe.threshold).exp_labels;
      expect(labels.job, `${s.alert} ${s.severity}`).toBeUndefined();
      expect(labels.queue).toMatch(/^(ballots|audit)$/);
      expect(labels.component).toBe(s.alert === 'WorkerStalled' ? 'worker' : 'queue');
      // No aggregation keeps the exporter's job either.
      expect(s.expr).not.toMatch(/by \([^)]*\bjob\b[^)]*\) \(redis_queue/);
    }
  });
});
