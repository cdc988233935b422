// Selector checks (checkConfig's first block): every kind of matcher is accepted when the build can
// make series it selects; PromQL pasted where a label value belongs is refused with its position.
import { describe, expect, it } from 'vitest';
import { checkConfig } from './config-check.js';
import { ConfigError, defaultConfig, defineConfig, type MixinConfig, parseConfigText } from './index.js';
import { streamSel } from './promql.js';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

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
