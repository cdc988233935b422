import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/secret-and-file',
  severity: 'error',
  summary: 'a secret and its *_file are both set, or http_config has two auth methods',
  why: 'A secret may be given inline or as a `*_file`, not both (slack api_url, opsgenie/victorops api_key, smtp_auth_password, telegram bot_token, wechat api_secret, http_config credentials\u2026), globally or per receiver; Alertmanager refuses the ambiguity. The finding names the field, never its value.',
  bad: {
    file: 'alertmanager.yml',
    text: 'global:\n  opsgenie_api_key: example\n  opsgenie_api_key_file: /etc/alertmanager/opsgenie\nroute:\n  receiver: r\nreceivers:\n  - name: r\n    opsgenie_configs:\n      - api_key_file: /etc/alertmanager/opsgenie\n',
  },
  good: {
    file: 'alertmanager.yml',
    text: 'global:\n  opsgenie_api_key_file: /etc/alertmanager/opsgenie\nroute:\n  receiver: r\nreceivers:\n  - name: r\n    opsgenie_configs:\n      - api_key_file: /etc/alertmanager/opsgenie\n',
  },
});
