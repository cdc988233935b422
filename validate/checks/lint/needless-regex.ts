import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/needless-regex',
  severity: 'warning',
  summary: 'a regex matcher without regex characters (=~"x")',
  why: 'An equality matcher says the same and lets Prometheus use the index directly.',
  bad: 'up{job=~"api"} == 0',
  good: 'up{job="api"} == 0',
});
