import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/range-window',
  severity: 'warning',
  summary: 'a rate window shorter than four scrape intervals',
  why: 'rate() needs at least two samples in the window; with fewer than four intervals one missed scrape leaves the query empty.',
  bad: 'rate(http_requests_total[30s]) > 0',
  good: 'rate(http_requests_total[5m]) > 0',
});
