import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'schema/test-rule-files',
  severity: 'warning',
  summary: "a promtool unit-test file's rule_files entry matches no file",
  why: '`promtool test rules` prints "WARNING: no file match pattern" and runs the tests without those rules, so the alert tests then fail. The rule files it does find are checked in the same run.',
  testedBy: 'test/validate/engine-inputs.test.ts',
});
