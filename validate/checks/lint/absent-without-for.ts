import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/absent-without-for',
  severity: 'warning',
  summary: 'an alert on absent() without a for',
  why: 'absent() is true for a single missed scrape or right after a restart; without a pending period that pages.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: absent(up{job="api"})\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: absent(up{job="api"})\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
});
