import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/experimental-function',
  severity: 'error',
  summary:
    'an experimental function (`limitk`, `sort_by_label`, `mad_over_time`, `info`...) that needs --enable-feature=promql-experimental-functions',
  why: 'Prometheus and promtool refuse the expression unless started with --enable-feature=promql-experimental-functions. If your servers run with that flag, `--disable promql/experimental-function`.',
  bad: 'sort_by_label(up == 0, "instance")',
  good: 'sort(up == 0)',
});
