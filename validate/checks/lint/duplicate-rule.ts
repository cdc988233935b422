import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/duplicate-rule',
  severity: 'warning',
  summary: 'the same alert or recording rule (name and labels) defined twice in the set',
  why: 'promtool check rules reports duplicates as a lint error; the two copies evaluate twice and their series collide.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: s, description: d }\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: critical }\n        annotations: { summary: s, description: d }\n',
  },
});
