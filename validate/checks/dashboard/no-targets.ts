import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/no-targets',
  severity: 'warning',
  summary: 'a data panel has no query',
  why: 'The panel shows "No data" forever; usually a query was deleted by mistake. Text, row, list and library panels are exempt.',
  bad: exampleDashboard([examplePanel({ targets: [] })]),
  good: exampleDashboard([examplePanel()]),
});
