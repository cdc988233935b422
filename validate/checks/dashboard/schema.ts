import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/schema',
  severity: 'error',
  summary: 'the dashboard JSON has a shape Grafana cannot load (a panel without a type, a list that is not a list)',
  why: "Checked against Grafana's published dashboard types, widened to what Grafana itself loads: defaults it fills in may be left out, scalars may be null, datasources may be legacy name strings, a library panel reference (`libraryPanel`) needs no type. What is left breaks the dashboard or the panel.",
  bad: exampleDashboard([examplePanel({ type: undefined })]),
  good: exampleDashboard([examplePanel()]),
});
