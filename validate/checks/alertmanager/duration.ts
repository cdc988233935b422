import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/duration',
  severity: 'error',
  summary: 'a duration that does not parse, or a zero group_interval/repeat_interval',
  why: 'Route timings and other durations must parse (Prometheus durations like 5m or 1h30m); group_interval and repeat_interval cannot be zero. Alertmanager refuses the config otherwise.',
  bad: { file: 'alertmanager.yml', text: 'route:\n  receiver: r\n  repeat_interval: 0s\nreceivers:\n  - name: r\n' },
  good: { file: 'alertmanager.yml', text: 'route:\n  receiver: r\n  repeat_interval: 4h\nreceivers:\n  - name: r\n' },
});
