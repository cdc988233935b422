import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/datasource-variable',
  severity: 'error',
  summary: 'a panel, target, variable or annotation uses a datasource variable the dashboard does not define',
  why: 'Grafana resolves `${name}` against the template variables (and, on import, the `__inputs`); a name that is neither leaves the panel with "datasource not found".',
  bad: exampleDashboard([examplePanel({ datasource: { type: 'prometheus', uid: '${prometheus}' } })]),
  good: exampleDashboard([examplePanel({ datasource: { type: 'prometheus', uid: '${datasource}' } })]),
});
