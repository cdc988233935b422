import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/receiver',
  severity: 'error',
  summary: 'a route names an undefined receiver, or receiver names are missing or duplicated',
  why: "Every route's receiver must be defined, and receiver names must be present and unique (receiver labels, where used, must agree with the name); Alertmanager refuses the config otherwise.",
  bad: {
    file: 'alertmanager.yml',
    text: 'route:\n  receiver: r\n  routes:\n    - receiver: nobody\nreceivers:\n  - name: r\n',
  },
  good: {
    file: 'alertmanager.yml',
    text: 'route:\n  receiver: r\n  routes:\n    - receiver: r\nreceivers:\n  - name: r\n',
  },
});
