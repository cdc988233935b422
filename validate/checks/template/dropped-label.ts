import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'template/dropped-label',
  severity: 'warning',
  summary: 'a template reads $labels.x that the expression result does not have',
  why: 'An aggregation or vector matching drops labels; the template then renders an empty string and the notification says nothing.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: sum(up) == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: "{{ $labels.instance }} down", description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: sum by (instance) (up) == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: "{{ $labels.instance }} down", description: d }\n',
  },
});
