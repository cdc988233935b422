import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/summary-missing',
  severity: 'warning',
  summary: 'an alert without a summary annotation',
  why: 'The summary is the one line a notification shows; without it the receiver sees only the alert name.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
});
