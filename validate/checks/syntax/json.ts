import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'syntax/json',
  severity: 'error',
  summary: 'a .json file (a dashboard) is not valid JSON',
  why: 'Grafana imports and provisions dashboards with a JSON parser: a trailing comma or a missing brace and the dashboard is not loaded at all.',
  bad: { file: 'dashboard.json', text: '{"title": "Example", "panels": [],}\n' },
  good: { file: 'dashboard.json', text: '{"title": "Example", "panels": []}\n' },
});
