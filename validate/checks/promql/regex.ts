import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'promql/regex',
  severity: 'error',
  summary: 'a `=~` or `!~` matcher whose regex Go (RE2) cannot compile',
  why: 'Prometheus compiles matcher regexes with RE2 when it parses the expression; an invalid one (or lookaround, backreferences) is a parse error.',
  bad: 'up{job=~"api-(.*"} == 0',
  good: 'up{job=~"api-(.*)"} == 0',
});
