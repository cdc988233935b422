import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'lint/rate-non-counter',
  severity: 'warning',
  summary: 'rate(), irate() or increase() on a metric that is not a counter',
  why: 'rate() assumes a monotonically increasing counter; on a gauge every decrease looks like a counter reset and the result is nonsense.',
  bad: 'rate(process_resident_memory_bytes[5m]) > 0',
  good: 'deriv(process_resident_memory_bytes[5m]) > 0',
});
