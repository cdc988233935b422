import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/time-interval',
  severity: 'error',
  summary:
    'a time interval without a name, a duplicate name, an undefined interval in a route, or values that do not parse',
  why: "Time intervals need a unique name (across time_intervals and mute_time_intervals), routes may only name defined ones, and times, weekdays, days, months, years and the location must parse as Alertmanager's timeinterval package reads them (a day range such as `-1:5` or `20:-10` that can never match is refused; any month number is taken); Alertmanager refuses the config otherwise.",
  bad: {
    file: 'alertmanager.yml',
    text: 'time_intervals:\n  - name: work\n    time_intervals:\n      - weekdays: [monday:friday]\nmute_time_intervals:\n  - name: work\n    time_intervals: []\nroute:\n  receiver: r\nreceivers:\n  - name: r\n',
  },
  good: {
    file: 'alertmanager.yml',
    text: 'time_intervals:\n  - name: work\n    time_intervals:\n      - weekdays: [monday:friday]\nroute:\n  receiver: r\nreceivers:\n  - name: r\n',
  },
});
