import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/arg-type',
  severity: 'error',
  summary: 'a value of the wrong type: a function or aggregation argument, a binary or unary operand, a subquery',
  why: 'Prometheus type-checks every expression when it parses it (an instant vector where a range vector is expected, a range vector in arithmetic, a subquery over a scalar...) and refuses the rule file.',
  bad: 'rate(http_requests_total) > 0',
  good: 'rate(http_requests_total[5m]) > 0',
});
