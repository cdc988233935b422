import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/duplicate-label',
  severity: 'warning',
  summary: 'a label listed twice in by/without/on/ignoring/group_left/group_right',
  why: 'Prometheus accepts it, but the second mention does nothing: usually a typo for another label.',
  bad: 'sum by (job, job) (rate(http_requests_total[5m])) > 0',
  good: 'sum by (job, instance) (rate(http_requests_total[5m])) > 0',
});
