import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/grid',
  severity: 'error',
  summary: "a panel lies outside Grafana's 24-column grid (x < 0, w < 1, x + w > 24)",
  why: 'Grafana lays panels out on 24 columns; a panel that sticks out is moved or shrunk on load, so the dashboard does not look the way it was built.',
  bad: exampleDashboard([examplePanel({ gridPos: { x: 16, y: 0, w: 12, h: 8 } })]),
  good: exampleDashboard([examplePanel({ gridPos: { x: 12, y: 0, w: 12, h: 8 } })]),
});
