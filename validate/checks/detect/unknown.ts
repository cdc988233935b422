import { defineCheck } from '../check.js';

export default defineCheck({
  id: 'detect/unknown',
  severity: 'info',
  summary: 'a file found by walking a directory is none of the kinds validate knows: skipped, and said so',
  why: 'Directories hold other YAML (CI workflows, compose files); skipping them is right, but silently skipping a file that was meant to be checked hides it, so the run lists it.',
  testedBy: 'test/validate/engine-inputs.test.ts',
});
