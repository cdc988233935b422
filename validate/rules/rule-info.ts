/** What the rule checks and the rule lints share about one rule (kept apart so neither imports the other). */

import type { Path } from '../plain.js';
import type { PromQLAnalysis } from '../promql-check.js';

export interface StringEntry {
  value: string;
  path: Path;
}

export interface RuleInfo {
  kind: 'alert' | 'record';
  name: string;
  /** Where findings about the whole rule point (its alert/record name). */
  path: Path;
  labels: ReadonlyMap<string, StringEntry>;
  annotations: ReadonlyMap<string, StringEntry>;
  forMs?: number;
  hasFor: boolean;
  analysis?: PromQLAnalysis;
  context: string;
  file: string;
}

/** `seen` spans the whole set of files: duplicate names are found across files too. */
export type SeenRules = Pick<Map<string, RuleInfo>, 'get' | 'set'>;
