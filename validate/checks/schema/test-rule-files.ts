import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'schema/test-rule-files',
  severity: 'error',
  summary: "a promtool unit-test file's rule_files entry matches no file",
  why: '`promtool test rules` cannot load the rules under test and fails before running any test. The rule files it does find are checked in the same run.',
  testedBy: 'test/validate/engine-inputs.test.ts',
});
