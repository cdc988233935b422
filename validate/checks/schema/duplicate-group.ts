import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'schema/duplicate-group',
  severity: 'error',
  summary: 'two rule groups in one file share a name',
  why: 'Prometheus identifies a group by file and name; promtool refuses a file that repeats a group name.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n  - name: g\n    rules:\n      - alert: TargetDown2\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n  - name: h\n    rules:\n      - alert: TargetDown2\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
});
