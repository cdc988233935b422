import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/label-name',
  severity: 'error',
  summary: "an invalid label name in route labels or an inhibit rule's equal list",
  why: "Route labels and inhibit rules' `equal` lists take label names; Alertmanager refuses anything else.",
  bad: {
    file: 'alertmanager.yml',
    text: 'route:\n  receiver: r\nreceivers:\n  - name: r\ninhibit_rules:\n  - source_matchers: [severity=critical]\n    target_matchers: [severity=warning]\n    equal: [cluster-name]\n',
  },
  good: {
    file: 'alertmanager.yml',
    text: 'route:\n  receiver: r\nreceivers:\n  - name: r\ninhibit_rules:\n  - source_matchers: [severity=critical]\n    target_matchers: [severity=warning]\n    equal: [cluster]\n',
  },
});
