import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'verify/query-error',
  severity: 'error',
  summary: 'Prometheus refuses a query at run time',
  why: 'The panel shows an error or the rule fails at every evaluation.',
  testedBy: 'validate/live/verify.test.ts',
});
