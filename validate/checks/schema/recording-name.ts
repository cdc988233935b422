import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'schema/recording-name',
  severity: 'error',
  summary: 'a recording rule name that is no metric name (empty, or braces: a selector pasted into record)',
  why: 'The record name becomes the metric name of the result; Prometheus refuses names with braces in every version.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum{job="a"}\n        expr: sum by (job) (up)\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
  },
});
