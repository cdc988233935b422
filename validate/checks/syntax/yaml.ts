import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'syntax/yaml',
  severity: 'error',
  summary: 'the file is not valid YAML (or a merge key `<<` is given something other than mappings)',
  why: 'Prometheus, promtool and Alertmanager refuse a file their YAML library cannot read, and then load nothing from it. Duplicate keys are refused too (go-yaml: "mapping key already defined"); anchors, aliases and merge keys are read as go-yaml reads them.',
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: example\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n        expr: sum(up)\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: example\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
  },
});
