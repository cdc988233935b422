import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'schema/unit-test',
  severity: 'error',
  summary:
    'a promtool unit-test file that promtool cannot load or whose tests cannot pass: unknown fields, wrong types, an alert test without alertname',
  why: 'promtool test rules reads its files strictly (an unknown field fails the file) and stops a test group at an alert test without alertname.',
  bad: {
    file: 'rules_test.yml',
    text: 'tests:\n  - interval: 1m\n    input_series:\n      - series: up\n        values: 1x5\n    promql_expr_test:\n      - expr: up\n        eval_time: 1m\n        exp_sample:\n          - value: 1\n',
  },
  good: {
    file: 'rules_test.yml',
    text: 'tests:\n  - interval: 1m\n    input_series:\n      - series: up\n        values: 1x5\n    promql_expr_test:\n      - expr: up\n        eval_time: 1m\n        exp_samples:\n          - labels: up\n            value: 1\n',
  },
});
