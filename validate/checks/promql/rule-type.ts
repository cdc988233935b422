import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/rule-type',
  severity: 'warning',
  summary: 'a rule expression that evaluates to a range vector or a string',
  why: 'promtool loads such a rule, but Prometheus fails it at every evaluation: a rule must produce an instant vector (or a scalar).',
  bad: 'http_requests_total[5m]',
  good: 'rate(http_requests_total[5m]) > 0',
});
