import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/integration',
  severity: 'error',
  summary: "an integration's required field is missing or a value is not one it accepts",
  why: "Each integration's own required fields and values (email to, victorops routing_key, telegram chat_id and parse_mode, webex room_id, jira project, opsgenie responders, Slack actions, an empty entry\u2026), as its UnmarshalYAML checks them; Alertmanager refuses the config otherwise.",
  bad: {
    file: 'alertmanager.yml',
    text: 'global:\n  smtp_smarthost: mail.example.com:587\n  smtp_from: alertmanager@example.com\nroute:\n  receiver: r\nreceivers:\n  - name: r\n    email_configs:\n      - to: ""\n',
  },
  good: {
    file: 'alertmanager.yml',
    text: 'global:\n  smtp_smarthost: mail.example.com:587\n  smtp_from: alertmanager@example.com\nroute:\n  receiver: r\nreceivers:\n  - name: r\n    email_configs:\n      - to: team@example.com\n',
  },
});
