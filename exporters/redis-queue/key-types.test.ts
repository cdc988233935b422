import { describe, expect, it } from 'vitest';
import { KeyTypes } from './key-types.js';

describe('KeyTypes', () => {
  it('remembers types between scrapes', () => {
    const t = new KeyTypes(true);
    expect(t.known('a')).toBe(false);
    t.set('a', 'list');
    expect(t.known('a')).toBe(true);
    expect(t.cached('a')).toBe('list');
    expect(t.plainType('a')).toBe('list');
  });

  it('with the cache off, probes every key again, but a plain key still keeps its type label', () => {
    const t = new KeyTypes(false);
    t.set('a', 'list');
    expect(t.known('a')).toBe(false);
    expect(t.cached('a')).toBeUndefined();
    expect(t.plainType('a')).toBe('list');
  });

  it('keeps the last type a plain key was read as, until the key changes type', () => {
    const t = new KeyTypes(true);
    t.readPlain('q', 'zset');
    expect(t.plainType('q')).toBe('zset');
    t.set('q', 'list');
    expect(t.plainType('q')).toBe('list');
    t.forget('q');
    expect(t.known('q')).toBe(false);
    expect(t.plainType('q')).toBeUndefined();
  });

  it('does not trust a type no queue lives in (a string may become a list): probed every scrape', () => {
    const t = new KeyTypes(true);
    t.set('s', 'string');
    expect(t.known('s')).toBe(false);
    expect(t.cached('s')).toBeUndefined();
    expect(t.plainType('s')).toBe('string');
  });

  it('forgets the types of keys no longer seen', () => {
    const t = new KeyTypes(true);
    for (const k of ['a', 'b', 'c']) t.set(k, 'list');
    t.prune(new Set(['b']));
    expect(['a', 'b', 'c'].map((k) => t.known(k))).toEqual([false, true, false]);
  });
});
