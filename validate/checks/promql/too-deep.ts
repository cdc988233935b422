import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/too-deep',
  severity: 'warning',
  summary: 'an expression nested deeper than 1000 levels, which this checker does not follow',
  why: 'Prometheus has no nesting limit, so the file may well load; this checker stops at 1000 levels of parentheses, calls and right-nested operators (long `a or b or c ...` chains are not nesting) and did not check the expression. Check it with promtool.',
  testedBy: 'validate/promql/parser.test.ts',
});
