import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'verify/empty-variable',
  severity: 'error',
  summary: 'a dashboard template variable has no values on the live Prometheus',
  why: 'Every panel that filters on the variable is empty.',
  testedBy: 'validate/live/verify.test.ts',
});
