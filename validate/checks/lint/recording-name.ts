import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/recording-name',
  severity: 'warning',
  summary: 'a recording rule name that does not follow level:metric:operations',
  why: 'The Prometheus naming convention (job:http_requests:rate5m) says what a recorded series aggregates and how; mixins and dashboards rely on it.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - record: up_sum\n        expr: sum by (job) (up)\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
  },
});
