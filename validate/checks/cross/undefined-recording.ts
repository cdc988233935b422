import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'cross/undefined-recording',
  severity: 'warning',
  summary: 'a query uses a level:metric:operation name that no recording rule in the set defines',
  why: 'A recording rule renamed or removed leaves every alert and panel on it silently empty.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: job:up:sum == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n      - alert: TargetDown\n        expr: job:up:sum == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
});
