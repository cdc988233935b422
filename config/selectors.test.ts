// Selector checks (checkConfig's first block): every kind of matcher is accepted when the build can
// make series it selects; PromQL pasted where a label value belongs is refused with its position.
import { describe, expect, it } from 'vitest';
import { configError } from '../test/support/config-error.js';
import { checkConfig } from './config-check.js';
import { defaultConfig, defineConfig, type MixinConfig, parseConfigText } from './index.js';
import { streamSel } from './promql.js';

describe('selectors of every kind', () => {
  it('accepts equality, regex and negative matchers, several labels per component', () => {
    const cfg = defineConfig({
      selectors: {
        vote: { job: { op: '=~', value: 'vote-(eu|us)' }, namespace: 'prod', env: { op: '!=', value: 'staging' } },
        worker: { job: 'my.job:1', cluster: { op: '!~', value: 'dev|test' } },
        exporter: { job: { op: '=~', value: 'redis-\\pL+', example: 'redis-exporter' } },
      },
    });
    expect(cfg.selectors.vote.namespace).toBe('prod');
  });

  it.each([
    ['=~"vote.*"', "{ op: '=~', value: 'vote.*' }"],
    ['!="staging"', "{ op: '!=', value: 'staging' }"],
    ['vote"}', "{ op: '=', value: 'vote' }"],
    ['=vote', "{ op: '=', value: 'vote' }"],
    ['{job="vote"}', ''],
  ])('refuses the PromQL-looking label value %s, suggesting the object form', (value, suggestion) => {
    const e = configError(() => parseConfigText(`selectors:\n  vote:\n    job: '${value}'\n`, 'team.yaml'));
    expect(e.path).toBe('selectors.vote.job');
    expect(e.message).toContain('looks like PromQL');
    expect(e.message).toContain(suggestion);
    expect(e.location).toBe('team.yaml:3:5');
  });

  it('refuses a quoted regex in the object form', () => {
    const e = configError(() => defineConfig({ selectors: { vote: { job: { op: '=~', value: '"vote.*"' } } } }));
    expect(e.path).toBe('selectors.vote.job.value');
  });

  it('names the path when no value can be derived from a regex, and asks for an example', () => {
    const text = "selectors:\n  vote:\n    job: { op: '=~', value: 'vote-\\pL+' }\n";
    const e = configError(() => parseConfigText(text, 'team.yaml'));
    expect(e.path).toBe('selectors.vote.job');
    expect(e.message).toMatch(/cannot derive a label value that matches "vote-\\pL\+"; add example: <value>/);
    expect(e.location).toBe('team.yaml:3:5');
  });

  it('refuses an example its own matcher does not select', () => {
    const e = configError(() =>
      defineConfig({ selectors: { vote: { job: { op: '=~', value: 'vote-(eu|us)', example: 'vote-asia' } } } }),
    );
    expect(e.path).toBe('selectors.vote.job.example');
    const neg = configError(() =>
      defineConfig({ selectors: { vote: { env: { op: '!=', value: 'staging', example: 'staging' } } } }),
    );
    expect(neg.path).toBe('selectors.vote.env.example');
  });

  it.each([
    [{ vote: { job: { op: '=~', value: 'vote(' } } }, 'selectors.vote.job.value', /not a valid regular expression/],
    [{ vote: { job: { op: '!~', value: '.+' } } }, 'selectors.vote.job', /selects no job name/],
    [{ vote: { env: { op: '!~', value: '.*' } } }, 'selectors.vote.env', /cannot derive/],
    [{ vote: { instance: 'localhost:8080' } }, 'selectors.vote.instance', /\$instance/],
    [{ worker: { job: { op: '=~', value: '.*' } } }, 'selectors.worker', /selects every target/],
    [{ vote: { queue: 'votes' } }, 'selectors.vote.queue', /metrics set themselves/],
    [{ vote: { __name__: 'up' } }, 'selectors.vote.__name__', /reserved/],
    [{ vote: { 'bad-name': 'x' } }, 'selectors.vote.bad-name', /label name/],
    [{ vote: { job: { op: '~', value: 'x' } } }, 'selectors.vote.job.op', /one of/],
  ])('refuses %j', (selectors, path, message) => {
    const e = configError(() => defineConfig({ selectors } as never));
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
  });

  it('refuses an empty selector (it would select every target)', () => {
    const cfg: MixinConfig = { ...defaultConfig, selectors: { ...defaultConfig.selectors, worker: {} } };
    expect(configError(() => checkConfig(cfg)).path).toBe('selectors.worker');
  });

  it('keeps ordinary values valid', () => {
    for (const job of ['vote-prod', 'my.job:1', 'vote_2', 'a b'])
      expect(() => defineConfig({ selectors: { vote: { job } } })).not.toThrow();
  });

  it('accepts RE2 syntax JavaScript lacks, given an example', () => {
    expect(() =>
      defineConfig({ selectors: { vote: { job: { op: '=~', value: '(?i:vote)-[[:alpha:]]+', example: 'VOTE-eu' } } } }),
    ).not.toThrow();
  });
});

describe("a component's selector never selects another component's targets", () => {
  it('refuses a vote regex that also matches the worker job (issue 12 follow-up)', () => {
    const e = configError(() =>
      defineConfig({
        selectors: { vote: { job: { op: '=~', value: 'voting-.*' } }, worker: { job: 'voting-worker' } },
      }),
    );
    expect(e.path).toBe('selectors.vote.job');
    expect(e.message).toBe(
      'selectors.vote.job =~"voting-.*" also selects the worker\'s targets (job="voting-worker"): every vote query and alert would count them; make the selectors disjoint: a regex that does not match "voting-worker" (e.g. an alternation of the vote\'s own job values), or a label only the vote\'s targets carry',
    );
  });

  it('refuses a worker regex whose derived job is the vote\'s (the worker\'s targets would get job="vote")', () => {
    // Both selectors select each other's targets; the regex, not vote's plain job, is blamed.
    const e = configError(() => defineConfig({ selectors: { worker: { job: { op: '=~', value: '\\bvote\\b' } } } }));
    expect(e.path).toBe('selectors.worker.job');
    expect(e.message).toContain('=~"\\\\bvote\\\\b" also selects the vote\'s targets (job="vote")');
  });

  it('refuses a negative job matcher that lets the other components through', () => {
    const e = configError(() => defineConfig({ selectors: { prometheus: { job: { op: '!=', value: 'vote' } } } }));
    expect(e.path).toBe('selectors.prometheus.job');
    expect(e.message).toMatch(/!="vote" also selects the result's targets \(job="result"\).*by what they are/);
  });

  it('refuses a plain selector another component only narrows, naming the label to add', () => {
    const e = configError(() =>
      defineConfig({ selectors: { vote: { job: 'app' }, worker: { job: 'app', component: 'worker' } } }),
    );
    expect(e.path).toBe('selectors.vote');
    expect(e.message).toMatch(
      /\{job="app"\} also selects the worker's targets \(job="app", component="worker"\).*add component:/,
    );
  });

  it('accepts components that share a job and differ by another label', () => {
    const cfg = defineConfig({
      selectors: {
        vote: { job: 'app', component: 'vote' },
        worker: { job: 'app', component: 'worker' },
        exporter: { job: { op: '=~', value: 'app|redis' }, component: { op: '=~', value: 'exporter|redis-.*' } },
      },
    });
    expect(cfg.selectors.worker.component).toBe('worker');
  });

  it('accepts a regex selector that matches only its own jobs, and a negative one beside a telling label', () => {
    expect(() =>
      defineConfig({
        selectors: {
          vote: { job: { op: '=~', value: 'voting-(api|web)' } },
          worker: { job: 'voting-worker' },
          exporter: { job: { op: '!~', value: 'voting-.*' }, app: 'redis' },
        },
      }),
    ).not.toThrow();
  });

  it('locates the overlapping matcher in a YAML file', () => {
    const text = [
      'selectors:',
      '  worker:',
      '    job: voting-worker',
      '  vote:',
      "    job: { op: '=~', value: 'voting-.*' }",
      '',
    ].join('\n');
    const e = configError(() => parseConfigText(text, 'team.yaml'));
    expect(e.path).toBe('selectors.vote.job');
    expect(e.location).toBe('team.yaml:5:5');
    const whole = configError(() =>
      parseConfigText('selectors:\n  vote:\n    job: app\n  worker:\n    job: app\n    component: w\n', 'team.yaml'),
    );
    expect(whole.path).toBe('selectors.vote');
    expect(whole.location).toBe('team.yaml:2:3');
  });
});

describe('streamSel (Loki selectors in runbooks)', () => {
  it('renders the scope, adding a non-empty job matcher when every matcher is an exclusion', () => {
    expect(streamSel({ job: 'worker', namespace: { op: '=~', value: 'prod|canary' } })).toBe(
      '{job="worker", namespace=~"prod|canary"}',
    );
    // Loki refuses {job!="staging"}: a selector needs one =/=~ matcher that rejects the empty value.
    expect(streamSel({ job: { op: '!=', value: 'staging' } })).toBe('{job!="staging", job=~".+"}');
    expect(streamSel({ job: { op: '=~', value: '.*' }, env: { op: '!~', value: 'dev' } })).toBe(
      '{job=~".*", env!~"dev", job=~".+"}',
    );
  });
});
