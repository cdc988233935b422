import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'schema/duration',
  severity: 'error',
  summary: 'a duration Prometheus cannot parse (for, interval, eval_time, scrape_interval...)',
  why: 'Prometheus durations are whole numbers with units, largest first (1h30m, 5m, 250ms); "5 min", "1.5h" or a bare number refuse the file.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5 min\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
});
