import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'metrics/unknown',
  severity: 'error',
  summary: 'a metric that is not in the --metrics list (in `build`: not in the catalog nor recorded)',
  why: 'A metric no target exposes makes the rule or panel silently empty, so it cannot work: usually a typo or a renamed metric. Only checked when --metrics says what exists.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up_typo == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
  exampleOptions: { metrics: ['up'] },
});
