import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'verify/empty-rule',
  severity: 'error',
  summary: 'a rule expression returns no series on the live Prometheus',
  why: 'An alert on an expression without series can never fire; a recording rule records nothing.',
  testedBy: 'validate/live/verify.test.ts',
});
