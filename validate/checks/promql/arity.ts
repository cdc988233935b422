import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/arity',
  severity: 'error',
  summary: 'a function or aggregation called with the wrong number of arguments',
  why: 'Prometheus checks argument counts when it parses the expression ("expected 2 argument(s) in call to ...") and refuses the rule file.',
  bad: 'histogram_quantile(sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
  good: 'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
});
