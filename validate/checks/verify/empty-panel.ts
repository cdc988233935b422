import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'verify/empty-panel',
  severity: 'error',
  summary: 'a dashboard panel query returns no series on the live Prometheus, and not only because nothing is wrong',
  why: 'The panel is empty in Grafana: a metric that is not scraped, a label that does not match, or a wrong job. A query that has data once its event filters are relaxed (catalog `absentUntil` matchers such as status=~"5.." dropped, comparisons made `bool`, or a target marked `mayBeEmpty`), with every selector still matching series, is quiet — listed, not reported.',
  testedBy: 'validate/live/verify.test.ts',
});
