import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/unknown-field',
  severity: 'error',
  summary: 'a field Alertmanager does not know (typos, fields of another receiver type)',
  why: 'amtool loads with yaml.UnmarshalStrict: a field Alertmanager does not know, anywhere in the file, refuses the whole config (a typo like `recevier` or `chanel` is never ignored).',
  bad: { file: 'alertmanager.yml', text: 'route:\n  recevier: r\nreceivers:\n  - name: r\n' },
  good: { file: 'alertmanager.yml', text: 'route:\n  receiver: r\nreceivers:\n  - name: r\n' },
});
