import { exampleDashboard, exampleQuery } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/counter-rate',
  severity: 'warning',
  summary: 'a counter is graphed without rate(), irate() or increase()',
  why: "A counter's raw value only grows and drops to zero on restart; its rate is what means something (dashboard-linter: target-counter-agg-rule).",
  bad: exampleDashboard([exampleQuery('sum(http_requests_total{job=~"$job", instance=~"$instance"})')]),
  good: exampleDashboard([
    exampleQuery('sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))'),
  ]),
});
