import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'verify/unknown-metric',
  severity: 'error',
  summary: 'a query uses a metric Prometheus has not seen in the window',
  why: 'Usually a typo or a metric that was renamed; the query is empty.',
  testedBy: 'validate/live/verify.test.ts',
});
