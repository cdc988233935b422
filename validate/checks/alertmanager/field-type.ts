import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/field-type',
  severity: 'error',
  summary: 'a value of the wrong shape (a mapping where a list or a string goes)',
  why: 'yaml.UnmarshalStrict refuses a value of the wrong shape (a mapping where a string or list goes), and Alertmanager then refuses to load.',
  bad: { file: 'alertmanager.yml', text: 'route:\n  receiver: r\nreceivers:\n  name: r\n' },
  good: { file: 'alertmanager.yml', text: 'route:\n  receiver: r\nreceivers:\n  - name: r\n' },
});
