import { describe, expect, it } from 'vitest';
import {
  concreteValue,
  deriveRegexValue,
  labelMatches,
  nonMatchingValue,
  scopeSelects,
  seriesValue,
  targetLabels,
} from './label-values.js';
import type { LabelMatcher } from './promql.js';

describe('deriveRegexValue: a value the anchored regex matches', () => {
  it.each([
    ['vote.*', 'vote'],
    ['vote-(eu|us)', 'vote-eu'],
    ['prod|staging', 'prod'],
    ['(?i)Vote', 'Vote'],
    ['[a-z]+-[0-9]{2}', 'a-00'],
    ['\\d+\\.x', '0.x'],
    ['foo[^a-c]bar', 'fooxbar'],
    ['^vote$', 'vote'],
    ['(?P<region>eu|us)-vote', 'eu-vote'],
    ['\\Qa.b\\E', 'a.b'],
    ['.+', 'a'],
    ['my\\.job:[0-9]+', 'my.job:0'],
  ])('%s → %s', (pattern, value) => {
    expect(deriveRegexValue(pattern)).toBe(value);
    expect(labelMatches({ op: '=~', value: pattern }, value)).toBe(true);
  });

  it.each(['a\\pLb', '[[:alpha:]]+', '(?i:x)y'])('gives up on %s (an example is needed)', (pattern) => {
    expect(deriveRegexValue(pattern)).toBeUndefined();
  });

  it('never returns a value the full match rejects', () => {
    // `a\bb` derives "ab", which \b rejects: verification drops it.
    expect(deriveRegexValue('a\\bb')).toBeUndefined();
  });
});

describe('seriesValue: the label a synthesised series carries', () => {
  const sv = (m: LabelMatcher | string) => seriesValue(m);
  it('equality: the value; regex: the example, else derived', () => {
    expect(sv('vote-prod')).toEqual({ ok: true, value: 'vote-prod' });
    expect(sv({ op: '=~', value: 'vote-(eu|us)', example: 'vote-us' })).toEqual({ ok: true, value: 'vote-us' });
    expect(sv({ op: '=~', value: 'vote-(eu|us)' })).toEqual({ ok: true, value: 'vote-eu' });
  });
  it('negative: no label when the empty value passes, else a value that does not match', () => {
    expect(sv({ op: '!=', value: 'staging' })).toEqual({ ok: true, value: undefined });
    expect(sv({ op: '!~', value: 'dev|test' })).toEqual({ ok: true, value: undefined });
    expect(sv({ op: '!=', value: '' })).toEqual({ ok: true, value: 'other' });
    expect(sv({ op: '!~', value: '|dev' })).toEqual({ ok: true, value: 'other' });
  });
  it('an example that fails its own matcher, or nothing derivable, is an error naming where', () => {
    expect(sv({ op: '=~', value: 'vote-(eu|us)', example: 'vote-asia' })).toMatchObject({ ok: false, at: '.example' });
    expect(sv({ op: '!=', value: 'x', example: 'x' })).toMatchObject({ ok: false, at: '.example' });
    expect(sv({ op: '=~', value: 'vote-\\pL+' })).toMatchObject({
      ok: false,
      at: '',
      message: expect.stringContaining('add example'),
    });
    expect(sv({ op: '!~', value: '.*' })).toMatchObject({ ok: false, at: '' });
  });
});

describe('concreteValue and nonMatchingValue', () => {
  it('a job name the matcher selects, the component name when it may', () => {
    expect(concreteValue(undefined, 'vote')).toBe('vote');
    expect(concreteValue('vote-prod', 'vote')).toBe('vote-prod');
    expect(concreteValue({ op: '=~', value: 'vote-(eu|us)' }, 'vote')).toBe('vote-eu');
    expect(concreteValue({ op: '!=', value: 'staging' }, 'vote')).toBe('vote');
    expect(concreteValue({ op: '!~', value: 'vote.*' }, 'vote')).toBe('other');
    expect(concreteValue({ op: '!~', value: '.+' }, 'vote')).toBeUndefined();
  });
  it('fills a wildcard tail with the component rather than ending a job name on its separator', () => {
    expect(deriveRegexValue('voting-.*')).toBe('voting-');
    expect(concreteValue({ op: '=~', value: 'voting-.*' }, 'worker')).toBe('voting-worker');
    expect(concreteValue({ op: '=~', value: 'app:[0-9]*' }, 'vote')).toBe('app:'); // "app:vote" is not matched
  });
  it('a value the matcher rejects', () => {
    expect(nonMatchingValue('worker')).toEqual({ ok: true, value: undefined });
    expect(nonMatchingValue({ op: '!=', value: 'staging' })).toEqual({ ok: true, value: 'staging' });
    expect(nonMatchingValue({ op: '!~', value: 'dev|test' })).toEqual({ ok: true, value: 'dev' });
    expect(nonMatchingValue({ op: '=~', value: '.*' })).toBeUndefined(); // every value passes
  });
});

describe('targetLabels and scopeSelects: the labels a generated scrape job gives its targets', () => {
  it("a concrete job first, then each other matcher's series value (a negative label left off)", () => {
    expect(
      targetLabels(
        { job: { op: '=~', value: 'vote-(eu|us)' }, namespace: 'prod', env: { op: '!=', value: 'staging' } },
        'vote',
      ),
    ).toEqual({ ok: true, labels: { job: 'vote-eu', namespace: 'prod' } });
    expect(targetLabels({ namespace: 'prod' }, 'worker')).toEqual({
      ok: true,
      labels: { job: 'worker', namespace: 'prod' },
    });
    expect(targetLabels({ job: { op: '!~', value: '.+' } }, 'vote')).toMatchObject({ ok: false, at: '.job' });
    expect(targetLabels({ env: { op: '=~', value: 'eu|us', example: 'asia' } }, 'vote')).toMatchObject({
      ok: false,
      at: '.env.example',
    });
  });
  it('every matcher must pass, a missing label reads as empty, an unevaluable regex is unknown', () => {
    expect(scopeSelects({ job: { op: '=~', value: 'voting-.*' } }, { job: 'voting-worker' })).toBe(true);
    expect(scopeSelects({ job: 'app', component: 'vote' }, { job: 'app', component: 'worker' })).toBe(false);
    expect(scopeSelects({ job: 'app', env: { op: '!=', value: 'staging' } }, { job: 'app' })).toBe(true);
    expect(scopeSelects({ job: 'app', env: { op: '=~', value: 'prod|' } }, { job: 'app' })).toBe(true);
    expect(scopeSelects({ job: { op: '=~', value: 'a\\pL+' } }, { job: 'ab' })).toBeUndefined();
    expect(scopeSelects({ job: { op: '=~', value: 'a\\pL+' }, ns: 'x' }, { job: 'ab' })).toBe(false);
  });
});
