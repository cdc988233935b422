import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'template/syntax',
  severity: 'error',
  summary: 'a label or annotation template that Go text/template (as Prometheus sets it up) cannot parse',
  why: 'Prometheus parses alert templates when it loads the file: an unknown function, an undefined variable ($label for $labels) or an unclosed action refuses the file.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: "{{ $label.instance }} down", description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { summary: "{{ $labels.instance }} down", description: d }\n',
  },
});
