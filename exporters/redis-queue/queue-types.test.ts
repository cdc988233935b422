import { describe, expect, it } from 'vitest';
import { globToRegExp, isPattern } from './glob.js';
import { ageFromTime, itemAge, itemAgeParsed, nextStreamId } from './queue-types.js';

const now = 1_700_000_100_000;

describe('itemAge', () => {
  it('reads the enqueue time of a vote item (ms since epoch)', () => {
    const item = JSON.stringify({ id: 'a', voter: 'v', option: 'cats', ts: now - 12_500 });
    expect(itemAge(item, now)).toBe(12.5);
  });
  it('agrees with JSON.parse on items the fast path cannot take', () => {
    expect(itemAge(`{"ts" : ${now - 1000}}`, now)).toBe(1);
    expect(itemAge(`{"ts":${now - 1500}.5}`, now)).toBeCloseTo(1.4995);
    expect(itemAge(`{"meta":{"ts":1},"ts":${now - 2000}}`, now)).toBe(2);
    expect(itemAge(`{"voter":"\\"ts\\":5","ts":${now - 3000}}`, now)).toBe(3);
  });
  it('has no age for items that are not JSON objects or have no usable ts', () => {
    expect(itemAge('plain text', now)).toBeUndefined();
    expect(itemAge('{broken', now)).toBeUndefined();
    expect(itemAge('{"ts":"yesterday"}', now)).toBeUndefined();
    expect(itemAge('{"id":1}', now)).toBeUndefined();
    expect(itemAge(null, now)).toBeUndefined();
  });
});

describe('itemAge: only a top-level ts is the enqueue time', () => {
  const t = now - 4000;
  const table: Array<[item: string, age: number | undefined]> = [
    [`{"ts":${t}}`, 4],
    [`{"id":"a","ts":${t}}`, 4],
    [`{"ts":${t},"payload":{"x":1}}`, 4],
    [`{"payload":{"ts":${t}}}`, undefined],
    [`{"payload":{"ts":${t}},"id":"a"}`, undefined],
    [`{"list":[{"ts":${t}}]}`, undefined],
    [`{"a":{"b":{"ts":${t}}}}`, undefined],
    [`{"payload":{"x":"}"},"ts":${t}}`, 4],
    [`{"payload":{"ts":1},"ts":${t}}`, 4],
    [`{"payload":{"ts":${t}},"ts":"later"}`, undefined],
    [`{"k\\":{"ts":${t}}}`, undefined],
    [`{"a\\"ts":${t}}`, undefined],
    [`{"ts":0${t}}`, undefined],
    [`{"ts":${Math.floor(t / 1000)}}`, 4],
    [`{"ts":${t},"payload":{"ts":1}}`, 4],
    [`{"ts":1,"payload":{"ts":${t}},"ts":${t}}`, 4],
  ];
  it.each(table)('%s', (item, age) => {
    expect(itemAge(item, now)).toBe(age);
  });
  it('the fast path and the JSON path agree on every item of the table', () => {
    for (const [item] of table) expect([item, itemAge(item, now)]).toEqual([item, itemAgeParsed(item, now)]);
  });
  it('reads the top-level ts of an item cut to its first bytes (list-heads.ts), nested ts or not', () => {
    const cut = `{"ts":${t},"payload":{"ts":1,"body":"${'x'.repeat(100)}`;
    expect(itemAgeParsed(cut, now)).toBeUndefined();
    expect(itemAge(cut, now)).toBe(4);
    expect(itemAge(`{"payload":{"ts":${t},"body":"xx`, now)).toBeUndefined();
    // Cut inside the ts itself: no age rather than a wrong one.
    expect(itemAge(`{"ts":${String(t).slice(0, 8)}`, now)).toBeUndefined();
  });
});

describe('ageFromTime', () => {
  it('takes ms or s since the epoch, counts future times as 0 and ignores non-times', () => {
    expect(ageFromTime(now - 5000, now)).toBe(5);
    expect(ageFromTime((now - 5000) / 1000, now)).toBe(5);
    expect(ageFromTime(now + 60_000, now)).toBe(0);
    expect(ageFromTime(3, now)).toBeUndefined();
  });
});

describe('Redis glob patterns', () => {
  it('tells keys from patterns', () => {
    expect(isPattern('votes')).toBe(false);
    expect(isPattern('votes:*')).toBe(true);
    expect(isPattern('q?')).toBe(true);
    expect(isPattern('q[12]')).toBe(true);
    expect(isPattern('literal\\*star')).toBe(false);
  });
  it('matches like SCAN MATCH', () => {
    const re = globToRegExp('votes:processing:*');
    expect(re.test('votes:processing:w1')).toBe(true);
    expect(re.test('votes:processing')).toBe(false);
    expect(globToRegExp('q[a-c]?').test('qbx')).toBe(true);
    expect(globToRegExp('q[^a]').test('qa')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('nextStreamId', () => {
  it("is the id right after, so XRANGE from it starts after a group's last-delivered-id", () => {
    expect(nextStreamId('0-0')).toBe('0-1');
    expect(nextStreamId('1700000000000-7')).toBe('1700000000000-8');
    expect(nextStreamId('5-18446744073709551615')).toBe('6-0');
  });
});
