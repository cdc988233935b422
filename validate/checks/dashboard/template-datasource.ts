import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'dashboard/template-datasource',
  severity: 'warning',
  summary: 'no datasource template variable for Prometheus (or for Loki when panels query Loki)',
  why: 'A datasource variable lets users point the dashboard at their Prometheus without editing it (dashboard-linter: template-datasource-rule).',
  bad: exampleDashboard([examplePanel()], {
    templating: {
      list: [
        { type: 'custom', name: 'job', query: 'api', multi: true, includeAll: true },
        { type: 'custom', name: 'instance', query: 'a', multi: true, includeAll: true },
      ],
    },
  }),
  good: exampleDashboard([examplePanel()]),
});
