import { exampleDashboard, exampleQuery } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/template-instance',
  severity: 'warning',
  summary: 'no multi-value `instance` query variable, or a selector that does not filter by `$instance`',
  why: 'An `instance` variable narrows panels to one target (dashboard-linter: template-instance-rule, target-instance-rule); recording rules that aggregate `instance` away are exempt.',
  bad: exampleDashboard([exampleQuery('sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))')]),
  good: exampleDashboard([
    exampleQuery('sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))'),
  ]),
});
