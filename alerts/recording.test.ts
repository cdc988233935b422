import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { defaultConfig } from '../config/mixin-config.js';
import { allRecordings } from '../config/recordings.js';
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

  it('cover every configured queue in the autoscaling signals', () => {
    const cfg = defineConfig({
      queues: [
        { name: 'votes', key: 'votes' },
        { name: 'audit', key: 'audit:*' },
      ],
    });
    const desired = recordingGroups(cfg)
      .flatMap((g) => g.rules)
      .find((r) => r.record === 'queue:worker_desired_replicas:count')!;
    expect(desired.expr).toContain('queue="votes"');
    expect(desired.expr).toContain('queue="audit"');
  });
});
