import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/overlap',
  severity: 'error',
  summary: 'two panels start on the same grid row and cover each other',
  why: 'Panels meant side by side that collide end up one below the other: Grafana compacts the grid and pushes one down. Panels stacked on increasing rows (as generators write them) are not reported; the panels of a collapsed row are checked among themselves.',
  bad: exampleDashboard([
    examplePanel({ gridPos: { x: 0, y: 0, w: 12, h: 8 } }),
    examplePanel({ id: 2, gridPos: { x: 8, y: 0, w: 12, h: 8 } }),
  ]),
  good: exampleDashboard([
    examplePanel({ gridPos: { x: 0, y: 0, w: 12, h: 8 } }),
    examplePanel({ id: 2, gridPos: { x: 12, y: 0, w: 12, h: 8 } }),
  ]),
});
