import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/group-by',
  severity: 'error',
  summary: 'group_by has an invalid or duplicated label, or `...` with other labels',
  why: 'Route.UnmarshalYAML refuses group_by entries that are not label names, duplicates, and `...` (group by all labels) together with other labels.',
  bad: {
    file: 'alertmanager.yml',
    text: "route:\n  receiver: r\n  group_by: ['...', cluster]\nreceivers:\n  - name: r\n",
  },
  good: { file: 'alertmanager.yml', text: "route:\n  receiver: r\n  group_by: ['...']\nreceivers:\n  - name: r\n" },
});
