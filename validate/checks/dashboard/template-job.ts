import { exampleDashboard, exampleQuery } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/template-job',
  severity: 'warning',
  summary: 'no multi-value `job` query variable, or a selector that does not filter by `$job`',
  why: 'A `job` variable (label_values(up, job), multi and All) narrows every panel to the services of interest (dashboard-linter: template-job-rule, target-job-rule).',
  bad: exampleDashboard([exampleQuery('sum(rate(http_requests_total{instance=~"$instance"}[$__rate_interval]))')]),
  good: exampleDashboard([
    exampleQuery('sum(rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))'),
  ]),
});
