import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'schema/recording-field',
  severity: 'error',
  summary: 'a recording rule with annotations, for or keep_firing_for',
  why: 'Only alerts have annotations, a pending period or keep_firing_for; Prometheus refuses a recording rule that sets them (empty or zero values load).',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n        for: 5m\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
  },
});
