// The scrape config names its jobs from values the selectors select: a regex selector gets a job
// its regex matches, so the generated Prometheus feeds the generated queries.
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/define-config.js';
import { labelMatches } from '../config/label-values.js';
import type { LabelMatcher } from '../config/promql.js';
import { prometheusConfig } from './prometheus-config.js';

type Job = { job_name: string; static_configs: Array<{ targets: string[]; labels?: Record<string, string> }> };
const jobs = (cfg: ReturnType<typeof defineConfig>) => prometheusConfig(cfg).scrape_configs as Job[];

describe('prometheus.yml scrape jobs', () => {
  it('a regex selector gets a job name its regex matches; equality labels become target labels', () => {
    const vote: LabelMatcher = { op: '=~', value: 'vote-(eu|us)' };
    const cfg = defineConfig({
      selectors: {
        vote: { job: vote, namespace: 'prod', env: { op: '!=', value: 'staging' } },
        worker: {
          job: { op: '=~', value: 'worker-[0-9]+', example: 'worker-7' },
          region: { op: '=~', value: 'eu|us' },
        },
        // A label beside the negative job: alone, job!~"vote.*" would also select the worker's targets.
        exporter: { job: { op: '!~', value: 'vote.*' }, app: 'redis' },
      },
    });
    const [v, , w, e] = jobs(cfg); // vote, result, worker, exporter, …
    expect(v).toMatchObject({ job_name: 'vote-eu', static_configs: [{ labels: { namespace: 'prod' } }] });
    expect(labelMatches(vote, v!.job_name)).toBe(true);
    expect(v!.static_configs[0]!.labels).not.toHaveProperty('env'); // env!="staging": no label is right
    expect(w).toMatchObject({ job_name: 'worker-7', static_configs: [{ labels: { region: 'eu' } }] });
    // A negative job matcher keeps the component's name when it passes.
    expect(e!.job_name).toBe('exporter');
  });

  it('components sharing a job value keep unique job_names, with the job as a target label', () => {
    const cfg = defineConfig({
      selectors: { vote: { job: 'ballot', container: 'vote' }, worker: { job: 'ballot', container: 'worker' } },
    });
    const [v, , w] = jobs(cfg);
    expect(v).toMatchObject({ job_name: 'ballot', static_configs: [{ labels: { container: 'vote' } }] });
    expect(w).toMatchObject({
      job_name: 'worker',
      static_configs: [{ labels: { container: 'worker', job: 'ballot' } }],
    });
  });

  it('the defaults keep their plain job names', () => {
    expect(jobs(defineConfig()).map((j) => j.job_name)).toEqual([
      'vote',
      'result',
      'worker',
      'redis-queue-exporter',
      'postgres',
      // cadvisor: no targets by default (Compose runs it), so no job
      'prometheus',
      'alertmanager',
    ]);
  });
});
