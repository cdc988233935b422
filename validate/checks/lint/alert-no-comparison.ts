import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/alert-no-comparison',
  severity: 'warning',
  summary: 'an alert expression without a comparison',
  why: 'Without a comparison the alert fires for every series the expression returns, i.e. always.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
});
