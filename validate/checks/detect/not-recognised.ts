import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'detect/not-recognised',
  severity: 'error',
  summary: 'a file named on the command line is none of the kinds validate knows',
  why: 'A file the user asked to check that is checked for nothing is a CI step that always passes. promtool refuses a rule file without `groups:` (a typo in the key) too.',
  bad: {
    file: 'rules.yml',
    text: 'grops:\n  - name: example\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
  },
  good: {
    file: 'rules.yml',
    text: 'groups:\n  - name: example\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
  },
});
