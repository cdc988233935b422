import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/severity-missing',
  severity: 'warning',
  summary: 'an alert without a severity label',
  why: 'Routing trees and on-call tooling route by severity; an alert without one lands in the default route.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { team: a }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
});
