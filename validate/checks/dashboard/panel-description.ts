import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/panel-description',
  severity: 'warning',
  summary: 'a panel has no description',
  why: 'The description is the (i) tooltip: what the panel shows and what a bad value means, for whoever is on call (dashboard-linter: panel-title-description-rule).',
  bad: exampleDashboard([examplePanel({ description: '' })]),
  good: exampleDashboard([examplePanel()]),
});
