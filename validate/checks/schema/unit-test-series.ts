import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'schema/unit-test-series',
  severity: 'error',
  summary:
    'an input series or expected sample that promtool cannot parse: selector syntax, value notation (1+1x10, _x3, stale)',
  why: 'promtool loads input_series with the PromQL test language; a series that does not parse fails the whole test group before any test runs.',
  bad: {
    file: 'rules_test.yml',
    text: 'tests:\n  - interval: 1m\n    input_series:\n      - series: up{job="a"\n        values: 0+1x10\n    promql_expr_test:\n      - expr: up\n        eval_time: 1m\n',
  },
  good: {
    file: 'rules_test.yml',
    text: 'tests:\n  - interval: 1m\n    input_series:\n      - series: up{job="a"}\n        values: 0+1x10\n    promql_expr_test:\n      - expr: up\n        eval_time: 1m\n',
  },
});
