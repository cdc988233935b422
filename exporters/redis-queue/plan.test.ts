import { describe, expect, it } from 'vitest';
import { type QueueConfig, queueDefaults } from 'voting-mixin/config';
import { planQueue, planQueues } from './plan.js';

const q = (key: string, extra: Partial<QueueConfig> = {}): QueueConfig => ({
  ...queueDefaults,
  name: 'votes',
  key,
  ...extra,
});

describe('planQueue', () => {
  it('reads a plain key of a fixed type', () => {
    expect(planQueue(q('votes', { type: 'list' }))).toEqual({
      name: 'votes',
      key: 'votes',
      pattern: false,
      label: 'votes',
      fixedType: 'list',
      processingPattern: undefined,
      processingMatcher: undefined,
    });
  });
  it('leaves an auto type to TYPE', () => {
    expect(planQueue(q('votes', { type: 'auto' })).fixedType).toBeUndefined();
    expect(planQueue(q('events', { type: 'stream' })).fixedType).toBe('stream');
  });
  it('tells SCAN patterns from keys (an escaped glob character is a key)', () => {
    expect(planQueue(q('jobs:*')).pattern).toBe(true);
    expect(planQueue(q('jobs:[ab]')).pattern).toBe(true);
    expect(planQueue(q('jobs\\*')).pattern).toBe(false);
  });
  it('labels a plain key by its name with `\\` doubled (key-names.ts), a pattern as written', () => {
    expect(planQueue(q('votes')).label).toBe('votes');
    expect(planQueue(q('jobs\\*')).label).toBe('jobs\\\\*');
    expect(planQueue(q('jobs\\*:*')).label).toBe('jobs\\*:*');
  });
  it('keeps processing lists out of a pattern that matches them too, and only then', () => {
    const p = planQueue(q('jobs:*', { processingPattern: 'jobs:processing:*' }));
    expect(p.processingPattern).toBe('jobs:processing:*');
    expect(p.processingMatcher?.test('jobs:processing:w1')).toBe(true);
    expect(p.processingMatcher?.test('jobs:42')).toBe(false);
    const plain = planQueue(q('votes', { processingPattern: 'votes:processing:*' }));
    expect(plain.processingPattern).toBe('votes:processing:*');
    expect(plain.processingMatcher).toBeUndefined();
  });
  it('treats an empty processing pattern as none', () => {
    const p = planQueue(q('jobs:*', { processingPattern: '' }));
    expect(p.processingPattern).toBeUndefined();
    expect(p.processingMatcher).toBeUndefined();
  });
});

describe('planQueues', () => {
  it('plans every queue in config order (plans are referred to by index)', () => {
    expect(planQueues([q('a'), q('b:*'), q('c')]).map((p) => [p.key, p.pattern])).toEqual([
      ['a', false],
      ['b:*', true],
      ['c', false],
    ]);
  });
});
