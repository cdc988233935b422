import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'alertmanager/matcher',
  severity: 'error',
  summary: 'a matcher that does not parse, an invalid regular expression, or a null match_re value',
  why: "Matchers (`matchers`, `match`, `match_re`, inhibit rules' source/target) must parse: label names, quoting, Go RE2 regular expressions; a `match_re` entry with no value is refused too.",
  bad: {
    file: 'alertmanager.yml',
    text: 'route:\n  receiver: r\n  routes:\n    - receiver: r\n      match_re:\n        service:\nreceivers:\n  - name: r\n',
  },
  good: {
    file: 'alertmanager.yml',
    text: 'route:\n  receiver: r\n  routes:\n    - receiver: r\n      match_re:\n        service: api|web\nreceivers:\n  - name: r\n',
  },
});
