import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/panel-datasource',
  severity: 'warning',
  summary: 'a panel or target uses a fixed datasource instead of the datasource variable',
  why: 'A fixed uid or name works only where that datasource exists; with `${datasource}` users pick their own Prometheus (dashboard-linter: panel-datasource-rule).',
  bad: exampleDashboard([examplePanel({ datasource: { type: 'prometheus', uid: 'P1809F7CD0C75ACF3' } })]),
  good: exampleDashboard([examplePanel()]),
});
