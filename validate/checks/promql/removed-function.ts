import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/removed-function',
  severity: 'warning',
  summary: 'a function Prometheus 2 has and Prometheus 3 removed (holt_winters)',
  why: 'The rule loads today and stops loading on the upgrade to Prometheus 3 ("unknown function"), taking the whole rule file with it.',
  bad: 'holt_winters(node_load1[1h], 0.5, 0.5) > 4',
  good: 'predict_linear(node_load1[1h], 3600) > 4',
});
