import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/unknown-metric',
  severity: 'warning',
  summary:
    "a generated dashboard queries a metric that is neither in the mixin's catalog nor one of its recording rules",
  why: "Only for the mixin's own build, where every metric is known (config/metrics.ts, config/recordings.ts). On users' dashboards existence is --metrics' job (metrics/unknown).",
  testedBy: 'validate/dashboard/lint.test.ts',
});
