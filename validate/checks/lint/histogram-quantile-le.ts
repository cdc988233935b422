import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/histogram-quantile-le',
  severity: 'warning',
  summary: 'histogram_quantile() over buckets aggregated without the le label',
  why: 'histogram_quantile needs the le label of every bucket; aggregating it away returns nothing.',
  bad: 'histogram_quantile(0.9, sum by (job) (rate(http_request_duration_seconds_bucket[5m]))) > 1',
  good: 'histogram_quantile(0.9, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m]))) > 1',
});
