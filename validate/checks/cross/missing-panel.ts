import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'cross/missing-panel',
  severity: 'warning',
  summary: "(build) an alert's dashboard_url names a panel the generated dashboard does not have",
  why: 'The link still opens the dashboard, but not the panel the on-call engineer needs; only the generator knows both sides, so `build` reports it.',
  testedBy: 'alerts/alerts.test.ts',
});
