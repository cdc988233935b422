import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/empty-selector',
  severity: 'error',
  summary: 'a selector without a metric name whose every matcher matches the empty string',
  why: 'Such a selector would select every series in the database; Prometheus refuses it ("vector selector must contain at least one non-empty matcher").',
  bad: '{job=~".*"} == 0',
  good: '{job=~".+"} == 0',
});
