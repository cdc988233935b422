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
  });

  it('sends each key as its exact bytes: the label itself, or the bytes its escapes stand for', () => {
    const jobs = new Jobs();
    jobs.add('plain', 'list', 0);
    jobs.add('bad\\xff\\xfe', 'list', 0);
    jobs.add('back\\\\slash', 'list', 0);
    jobs.addProcessingLists([['p:\\x80']]);
    expect(jobs.keys).toEqual(['plain', 'bad\\xff\\xfe', 'back\\\\slash', 'p:\\x80']);
    expect(jobs.names[0]).toBe('plain');
    expect(jobs.names[1]).toEqual(Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe]));
    expect(jobs.names[2]).toEqual(Buffer.from('back\\slash'));
    expect(jobs.names[3]).toEqual(Buffer.from([0x70, 0x3a, 0x80]));
  });

  it('cuts pipelines of at most `pipelineSize` commands, never splitting a key, streams apart', () => {
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
    // The heads script reads every type but streams: they are chunked apart, after the others.
    expect(jobs.chunks(4)).toEqual([[0, 2, 3], [4, 5], [1]]);
    // A key with more commands than a pipeline holds still gets one of its own.
    expect(jobs.chunks(1)).toEqual([[0], [2], [3], [4], [5], [1]]);
    expect(jobs.chunks(1000)).toEqual([[0, 2, 3, 4, 5], [1]]);
    expect(new Jobs().chunks(10)).toEqual([]);
  });

  it('re-reads the keys that changed type once, after the others, as queue keys rather than processing lists', () => {
    const jobs = new Jobs();
    jobs.add('a', 'list', 0);
    jobs.add('b', 'list', 1);
    jobs.addProcessingLists([['p:1']]);
    // Nothing changed: no second round.
    const quiet = new Jobs();
    quiet.add('a', 'list', 0);
    expect(quiet.reread()).toBe(false);

    expect(jobs.retype(1)).toBe(true);
    expect(jobs.reread()).toBe(true);
    expect(jobs.untyped).toEqual([['b', 1]]);
    jobs.add('b', 'hash', 1); // what TYPE said
    // Only the new job is read in the second round, and it is a queue key.
    expect(jobs.chunks(100)).toEqual([[3]]);
    expect([0, 1, 2, 3].map((j) => jobs.isProcessing(j))).toEqual([false, false, true, false]);
    // Once per collection: a key that changes again is not read a third time.
    expect(jobs.retype(3)).toBe(false);
    expect(jobs.reread()).toBe(false);
  });
});
