import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'verify/empty-panel',
  severity: 'error',
  summary: 'a dashboard panel query returns no series on the live Prometheus',
  why: 'The panel is empty in Grafana: a metric that is not scraped, a label that does not match, or a wrong job.',
  testedBy: 'validate/live/verify.test.ts',
});
