import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/panel-units',
  severity: 'warning',
  summary: 'a panel that shows numbers has no unit, or one Grafana does not know',
  why: 'Without a unit 0.25 could be seconds, a ratio or requests; Grafana falls back to a plain number (dashboard-linter: panel-units-rule).',
  bad: exampleDashboard([examplePanel({ fieldConfig: { defaults: {}, overrides: [] } })]),
  good: exampleDashboard([examplePanel()]),
});
