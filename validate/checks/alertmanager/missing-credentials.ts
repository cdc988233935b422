import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/missing-credentials',
  severity: 'error',
  summary: 'an integration lacks its API URL, key, token, smarthost or target, here and in global',
  why: 'An integration without the URL, key or address it needs, here or in `global` (slack api_url, opsgenie/victorops api_key, wechat api_secret, email smarthost and from, telegram bot_token, an sns target, a webhook url\u2026), makes Alertmanager refuse the config.',
  bad: {
    file: 'alertmanager.yml',
    text: 'route:\n  receiver: r\nreceivers:\n  - name: r\n    slack_configs:\n      - channel: "#alerts"\n',
  },
  good: {
    file: 'alertmanager.yml',
    text: 'global:\n  slack_api_url_file: /etc/alertmanager/slack-url\nroute:\n  receiver: r\nreceivers:\n  - name: r\n    slack_configs:\n      - channel: "#alerts"\n',
  },
});
