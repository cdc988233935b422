import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/utf8-name',
  severity: 'warning',
  summary:
    'a name valid only under UTF-8 name validation: rule labels, annotations and record names, quoted PromQL names (Prometheus 3), Alertmanager matchers (0.27+)',
  why: 'Prometheus 3 and Alertmanager 0.27+ accept any UTF-8 name; Prometheus 2, promtool 2.x, older Alertmanagers and servers with legacy name validation refuse the whole file.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { runbook-url: r, summary: s, description: d }\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: TargetDown\n        expr: up == 0\n        for: 5m\n        labels: { severity: warning }\n        annotations: { runbook_url: r, summary: s, description: d }\n',
  },
});
