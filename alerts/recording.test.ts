import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { defaultConfig } from '../config/mixin-config.js';
import { allRecordings, recordings as r } from '../config/recordings.js';
import { ruleGroups } from './groups.js';
import { recordingGroups, recordingRules } from './recording.js';
import { isAlertingRule } from './rule-types.js';

describe('recording rules', () => {
  it('write every name config/recordings.ts declares exactly once, and nothing else', () => {
    const written = recordingRules(defaultConfig).map((r) => r.record);
    for (const r of allRecordings())
      expect(
        written.filter((w) => w === r.name),
        r.name,
      ).toHaveLength(1);
    expect(written.sort()).toEqual(
      allRecordings()
        .map((r) => r.name)
        .sort(),
    );
  });

  it('come before the alerts that read them', () => {
    const groups = ruleGroups(defaultConfig);
    const firstAlert = groups.findIndex((g) => g.rules.some(isAlertingRule));
    const lastRecording = groups.map((g) => g.rules.some((r) => !isAlertingRule(r))).lastIndexOf(true);
    expect(lastRecording).toBeLessThan(firstAlert);
  });

  it('cover every configured queue in the autoscaling signals, in evaluation order', () => {
    const cfg = defineConfig({
      queues: [
        { name: 'votes', key: 'votes' },
        { name: 'audit', key: 'audit:*' },
      ],
    });
    const rules = recordingGroups(cfg).flatMap((g) => g.rules);
    const at = (name: string) => rules.findIndex((r) => r.record === name);
    for (const name of [r.queueLoadFactorRatio.name, r.queueWorkerRecommendedReplicas.name]) {
      const rule = rules[at(name)]!;
      expect(rule.expr, name).toContain('queue="votes"');
      expect(rule.expr, name).toContain('queue="audit"');
    }
    // Each reads the one before it in the same evaluation.
    expect(at(r.queueLoadFactorRatio.name)).toBeLessThan(at(r.queueWorkerRecommendedReplicas.name));
    expect(at(r.queueWorkerRecommendedReplicas.name)).toBeLessThan(at(r.queueWorkerDesiredReplicas.name));
    expect(rules[at(r.queueWorkerDesiredReplicas.name)]!.expr).toBe(
      `max_over_time(${r.queueWorkerRecommendedReplicas.name}[5m])`,
    );
  });
});
