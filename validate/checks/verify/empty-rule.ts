import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'verify/empty-rule',
  severity: 'error',
  summary: 'a rule expression returns no series on the live Prometheus',
  why: 'An alert on an expression without series can never fire; a recording rule records nothing. A recording that is empty only because nothing happened yet (its relaxed form has data) is quiet, and so are the queries that read it.',
  testedBy: 'validate/live/verify.test.ts',
});
