import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/syntax',
  severity: 'error',
  summary: 'the expression does not parse as Prometheus parses it',
  why: 'Prometheus refuses to load a rule file with an expression it cannot parse; Grafana shows an error instead of the panel.',
  bad: 'sum(rate(http_requests_total[5m])',
  good: 'sum(rate(http_requests_total[5m]))',
});
