// The command table. One entry per command; the command's own file holds its help and logic and
// is imported only when that command runs, so `validate` does not pay for `build`'s dashboards
// or `verify`'s HTTP client at start-up (a measurable share of a CI run's wall time).
import type { Command } from '../lib/io.js';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  {
    name: 'build',
    summary: 'generate dashboards, rules, Alertmanager config, tests and runbooks into dist/',
    load: async () => (await import('./build.js')).buildCommand,
  },
  {
    name: 'validate',
    summary: 'check rule files, Prometheus/Alertmanager configs and dashboards (yours or generated)',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'verify',
    summary:
      'run every dashboard query and rule against a live Prometheus; report errors, empty panels, unknown metrics',
    load: async () => (await import('./verify.js')).verifyCommand,
  },
];
