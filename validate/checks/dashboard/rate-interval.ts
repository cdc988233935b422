import { exampleDashboard, exampleQuery } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/rate-interval',
  severity: 'warning',
  summary: 'rate(), irate() or increase() over a fixed window instead of `$__rate_interval`',
  why: "`$__rate_interval` follows the datasource's scrape interval and the zoom level, so the rate neither misses samples nor smooths spikes away (dashboard-linter: target-rate-interval-rule). `$__range` is accepted too: `increase(x[$__range])` is the total over the time range, not a fixed window.",
  bad: exampleDashboard([exampleQuery('sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[5m]))')]),
  good: exampleDashboard([
    exampleQuery('sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))'),
  ]),
});
