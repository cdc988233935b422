import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/rate-of-sum',
  severity: 'warning',
  summary: 'rate() of a sum (a recording rule that aggregated a counter)',
  why: 'Summing counters before rate() hides the resets of the individual series: take the rate first, then sum.',
  bad: 'rate(sum(http_requests_total)[5m:]) > 0',
  good: 'sum(rate(http_requests_total[5m])) > 0',
});
