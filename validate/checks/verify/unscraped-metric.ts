import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'verify/unscraped-metric',
  severity: 'error',
  summary: 'a catalog metric that no target exposes',
  why: 'The service does not export what the dashboards and alerts expect.',
  testedBy: 'validate/live/verify.test.ts',
});
