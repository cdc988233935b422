import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'syntax/ignored-document',
  severity: 'warning',
  summary: 'a YAML document after the first in a rule file or config: Prometheus never reads it',
  why: "Prometheus, promtool and Alertmanager decode only the first document of a file: the groups after a `---` are silently not evaluated (promtool 2.42 reports the file clean with the first document's rules only; newer Prometheus warns but still loads only the first). A file holding Kubernetes objects (PrometheusRule, ConfigMap) is read whole, as kubectl applies every document.",
  bad: {
    file: 'rules.yml',
    text: 'groups:\n  - name: first\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n---\ngroups:\n  - name: second\n    rules:\n      - record: instance:up:sum\n        expr: sum by (instance) (up)\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: first\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n  - name: second\n    rules:\n      - record: instance:up:sum\n        expr: sum by (instance) (up)\n',
  },
});
