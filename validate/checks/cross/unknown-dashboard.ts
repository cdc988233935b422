import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

const rules = (url: string) => ({
  file: 'rules.yml',
  text: [
    'groups:',
    '  - name: example',
    '    rules:',
    '      - alert: Example',
    '        expr: up == 0',
    '        for: 5m',
    '        labels: { severity: warning }',
    `        annotations: { summary: s, description: d, dashboard_url: "${url}" }`,
    '',
  ].join('\n'),
});

export default defineCheck({
  id: 'cross/unknown-dashboard',
  severity: 'error',
  summary: 'a rule links (`dashboard_url` or another `*_url`) to a dashboard uid no dashboard in the run has',
  why: 'The link in the alert leads to "Dashboard not found". Decided only when the run includes dashboards; a uid built from a template is known only when the alert fires and is not checked.',
  bad: rules('https://grafana.example.com/d/nope/overview'),
  good: rules('https://grafana.example.com/d/example/overview'),
  exampleOptions: { with: [exampleDashboard([examplePanel()])] },
});
