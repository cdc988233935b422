import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/panel-title',
  severity: 'warning',
  summary: 'a panel or row has no title',
  why: 'An untitled panel cannot be told apart in the dashboard, in links or in alerts that point to it (dashboard-linter: panel-title-description-rule).',
  bad: exampleDashboard([examplePanel({ title: '' })]),
  good: exampleDashboard([examplePanel()]),
});
