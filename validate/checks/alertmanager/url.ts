import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/url',
  severity: 'error',
  summary: 'a URL that is not an http(s) URL with a host, or a smarthost without a port',
  why: 'URL fields must be http or https URLs with a host, and smarthosts host:port; Alertmanager refuses the config otherwise. The finding never repeats the URL (webhook URLs carry secrets).',
  bad: {
    file: 'alertmanager.yml',
    text: 'route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs:\n      - url: alerts.example.com/hook\n',
  },
  good: {
    file: 'alertmanager.yml',
    text: 'route:\n  receiver: r\nreceivers:\n  - name: r\n    webhook_configs:\n      - url: https://alerts.example.com/hook\n',
  },
});
