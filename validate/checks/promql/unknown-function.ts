import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/unknown-function',
  severity: 'error',
  summary: 'a function Prometheus does not know (names are case-sensitive)',
  why: 'Prometheus refuses the expression at parse time ("unknown function with name ..."): the rule file does not load and the panel shows an error.',
  bad: 'sum(rates(http_requests_total[5m]))',
  good: 'sum(rate(http_requests_total[5m]))',
});
