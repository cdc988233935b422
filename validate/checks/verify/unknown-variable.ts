import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'verify/unknown-variable',
  severity: 'error',
  summary: 'a query uses a template variable the dashboard does not define',
  why: 'Grafana sends the literal $name to Prometheus: the query errors or is empty.',
  testedBy: 'validate/live/verify.test.ts',
});
