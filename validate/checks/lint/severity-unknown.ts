import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/severity-unknown',
  severity: 'warning',
  summary: 'a severity label outside the allowed values (critical, warning, info by default)',
  why: 'A severity no route matches (page, P1, crit) is silently routed to the default receiver.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: page }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
});
