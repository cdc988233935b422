import { exampleDashboard, examplePanel } from '../../dashboard/example.js';
import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'logql/syntax',
  severity: 'error',
  summary: 'a Loki query does not parse',
  why: "Checked with Grafana's own LogQL grammar (@grafana/lezer-logql) after Grafana's variables are substituted, plus the rules Loki's parser adds on range aggregations (which need or refuse `| unwrap`, take a parameter, allow `by`/`without`); Loki refuses the query and the panel shows an error.",
  bad: exampleDashboard([
    examplePanel({
      type: 'logs',
      datasource: { type: 'loki', uid: 'loki' },
      targets: [{ refId: 'A', expr: '{job="api"} | json | level >= ' }],
    }),
  ]),
  good: exampleDashboard([
    examplePanel({
      type: 'logs',
      datasource: { type: 'loki', uid: 'loki' },
      targets: [{ refId: 'A', expr: '{job="api"} | json | level >= 50' }],
    }),
  ]),
});
