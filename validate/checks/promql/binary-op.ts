import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/binary-op',
  severity: 'error',
  summary:
    'an operator used where Prometheus refuses it: a scalar comparison without bool, bool on arithmetic, set operators on scalars, grouping on set operators, vector matching with a scalar',
  why: 'These are parse-time errors in Prometheus ("comparisons between scalars must use BOOL modifier", "no grouping allowed for \\"and\\" operation"...): the rule file does not load.',
  bad: 'time() > 1700000000',
  good: 'time() > bool 1700000000',
});
