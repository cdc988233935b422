import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'schema/rules',
  severity: 'error',
  summary:
    'a rule file Prometheus cannot load: unknown fields, wrong types, a rule with both or neither of record/alert, no expr',
  why: 'Prometheus and promtool read rule files strictly: an unknown field or a field of the wrong type refuses the whole file, so none of its rules run.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        severity: page\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
});
