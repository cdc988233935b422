import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/root-route',
  severity: 'error',
  summary: 'the root route is missing, has no receiver, or has matchers, continue or time intervals',
  why: 'The root route is the fallback for every alert: config.Load refuses a config without one, without a default receiver, or with matchers, `continue` or mute/active time intervals on it.',
  bad: { file: 'alertmanager.yml', text: 'route:\n  receiver: r\n  continue: true\nreceivers:\n  - name: r\n' },
  good: { file: 'alertmanager.yml', text: 'route:\n  receiver: r\nreceivers:\n  - name: r\n' },
});
