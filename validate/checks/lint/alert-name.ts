import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/alert-name',
  severity: 'warning',
  summary: 'alert names are UpperCamelCase',
  why: 'Every mixin and most alert routing trees name alerts in UpperCamelCase (KubePodCrashLooping); a consistent style makes them searchable and routable by regex.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: high_error_rate\n        expr: up == 0\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: HighErrorRate\n        expr: up == 0\n',
  },
});
