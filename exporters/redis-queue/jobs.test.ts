import { describe, expect, it } from 'vitest';
import { Jobs } from './jobs.js';

describe('Jobs', () => {
  it('keeps typed keys, holds back untyped ones and skips types no queue lives in', () => {
    const jobs = new Jobs();
    jobs.add('a', 'list', 0);
    jobs.add('b', undefined, 1);
    jobs.add('c', 'string', 1);
    jobs.add('d', 'stream', 2);
    expect(jobs.keys).toEqual(['a', 'd']);
    expect(jobs.types).toEqual(['list', 'stream']);
    expect(jobs.plans).toEqual([0, 2]);
    expect(jobs.untyped).toEqual([['b', 1]]);
  });

  it('puts the processing lists after every queue key, with their queue', () => {
    const jobs = new Jobs();
    jobs.add('q', 'zset', 0);
    expect(jobs.isProcessing(0)).toBe(false);
    jobs.addProcessingLists([undefined, ['p:1', 'p:2'], ['r:1']]);
    expect(jobs.keys).toEqual(['q', 'p:1', 'p:2', 'r:1']);
    expect(jobs.types).toEqual(['zset', 'list', 'list', 'list']);
    expect(jobs.plans).toEqual([0, 1, 1, 2]);
    expect([0, 1, 2, 3].map((j) => jobs.isProcessing(j))).toEqual([false, true, true, true]);
    expect(jobs.allLists(1, 4)).toBe(true);
    expect(jobs.allLists(0, 2)).toBe(false);
  });

  it('cuts pipelines of at most `pipelineSize` commands, never splitting a key', () => {
    const jobs = new Jobs();
    // commands per key: list 2, stream 3, set 1, hash 1, zset 2
    for (const [k, t] of [
      ['l1', 'list'],
      ['s1', 'stream'],
      ['t1', 'set'],
      ['h1', 'hash'],
      ['z1', 'zset'],
      ['l2', 'list'],
    ] as const) {
      jobs.add(k, t, 0);
    }
    expect(jobs.chunks(4)).toEqual([
      [0, 1],
      [1, 3],
      [3, 5],
      [5, 6],
    ]);
    // A key with more commands than a pipeline holds still gets one of its own.
    expect(jobs.chunks(1)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
    ]);
    expect(jobs.chunks(1000)).toEqual([[0, 6]]);
    expect(new Jobs().chunks(10)).toEqual([]);
  });
});
