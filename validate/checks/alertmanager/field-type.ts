import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/field-type',
  severity: 'error',
  summary:
    'a value of the wrong shape or type (a mapping where a list goes, a quoted string where a boolean or integer goes, an unknown TLS version)',
  why: "yaml.UnmarshalStrict refuses a value its Go field cannot hold: a mapping where a string or list goes, a string (`'true'`, `'-100123'`) where a bool or an integer goes (go-yaml v2 takes YAML 1.1's plain `yes`/`on` as booleans), a TLS version other than TLS10 to TLS13; Alertmanager then refuses to load.",
  bad: { file: 'alertmanager.yml', text: 'route:\n  receiver: r\nreceivers:\n  name: r\n' },
  good: { file: 'alertmanager.yml', text: 'route:\n  receiver: r\nreceivers:\n  - name: r\n' },
});
