import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'internal/error',
  severity: 'error',
  summary: 'the validator itself failed on a file',
  why: 'A crash in a check must not pass a file silently: the file is reported so the run fails and the bug can be filed.',
  testedBy: 'test/validate/fuzz.test.ts',
});
