import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'syntax/top-level',
  severity: 'error',
  summary: 'the document is a scalar, or a list of rule groups or rules, where a mapping (`groups:`) is required',
  why: 'promtool and Prometheus refuse a rule file whose top level is a list ("cannot unmarshal !!seq into rulefmt.RuleGroups") or a scalar; Alertmanager and Grafana refuse anything but a mapping too. Such a file was once skipped silently.',
  bad: {
    file: 'rules.yml',
    text: '- name: example\n  rules:\n    - record: job:up:sum\n      expr: sum by (job) (up)\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: example\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
  },
});
