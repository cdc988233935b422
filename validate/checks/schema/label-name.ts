import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'schema/label-name',
  severity: 'error',
  summary: 'a label or annotation name no Prometheus accepts (empty, or __name__ as a rule label)',
  why: '__name__ is the metric name, not a label a rule may set; an empty name is invalid under every name validation scheme. Prometheus refuses the file.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning, __name__: x }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
});
